/**
 * What makes the generated server fail besides lost answers, and which resolvers the pods use:
 * the options, their text on a command line, which values and combinations make sense, and when
 * a window of failure is open. The generator, its command line and check-ground-truth.mjs read
 * and check them here, in one place.
 */

/** glibc's default `options timeout:5`. */
export const GLIBC_TIMEOUT_US = 5_000_000;

export interface Outage {
  everyUs: number;
  lengthUs: number;
}

export type FirstServer = 'silent' | 'dead';

export interface Failures {
  /**
   * The server answers nothing for `lengthUs` of every `everyUs` (a restart): a first send in
   * that window gets no reply. The resend, 5 s later, is answered (see checkFailures).
   */
  outage?: Outage;
  /**
   * The upstream is down for `lengthUs` of every `everyUs`: CoreDNS's forward plugin, with no
   * healthy upstream, answers SERVFAIL at once for every name outside the cluster domain (the
   * node suffix and names as written), while cluster names are answered as usual.
   */
  upstreamDown?: Outage;
  /**
   * Probability that a search step is never answered, neither send of A nor AAAA (a name a server
   * drops, a cache that hangs on it). Drawn only when set, so that other captures keep their bytes.
   */
  silentRate?: number;
  /**
   * Every pod lists a failed nameserver first (a NodeLocal DNSCache that died): each step's pair
   * goes there first. A `silent` one never answers, and 5 s later the pair goes, same ids, from
   * a new port, to the cluster DNS (the lab's silent-nameserver-pair.pcap); a `dead` one (nothing
   * listens) answers each query with ICMP port unreachable, and the pair goes on at once the
   * same way (dead-nameserver-pair.pcap). Not combined with the other failures: what glibc does
   * when the second server fails too was not measured.
   */
  firstServer?: FirstServer;
  /**
   * The share of pods that resolve with Go's own resolver instead of glibc's (the lab's go-*.pcap):
   * A and AAAA from two sockets at once, a new id and socket for every try. Drawn from a PRNG of
   * its own, so that captures without Go pods keep their bytes. Combines with every failure.
   */
  goShare?: number;
}

/** The command-line options (node:util parseArgs) that give Failures. */
export const FAILURE_ARGS = {
  outage: { type: 'string' },
  'upstream-down': { type: 'string' },
  'silent-rate': { type: 'string' },
  'first-server': { type: 'string' },
  'go-share': { type: 'string' },
} as const;

export const FAILURE_USAGE =
  '[--outage EVERY:LENGTH (s, LENGTH < 5, EVERY > LENGTH + 5) | --upstream-down EVERY:LENGTH (s, LENGTH < EVERY)] [--silent-rate 0..1] [--first-server silent|dead, alone] [--go-share 0..1]';

/** Failures from FAILURE_ARGS' values; a string says which is not what it should be. */
export function parseFailures(values: { outage?: string; 'upstream-down'?: string; 'silent-rate'?: string; 'first-server'?: string; 'go-share'?: string }): Failures | string {
  const f: Failures = {};
  if (values.outage !== undefined) {
    const o = parseWindow(values.outage);
    if (o === null) return `--outage ${values.outage}: give EVERY:LENGTH in seconds`;
    f.outage = o;
  }
  if (values['upstream-down'] !== undefined) {
    const o = parseWindow(values['upstream-down']);
    if (o === null) return `--upstream-down ${values['upstream-down']}: give EVERY:LENGTH in seconds`;
    f.upstreamDown = o;
  }
  if (values['silent-rate'] !== undefined) f.silentRate = Number(values['silent-rate']);
  if (values['first-server'] !== undefined) {
    const first = values['first-server'];
    if (first !== 'silent' && first !== 'dead') return `--first-server ${first}: give silent or dead`;
    f.firstServer = first;
  }
  if (values['go-share'] !== undefined) f.goShare = Number(values['go-share']);
  return f;
}

/** Why `f` with `lossRate` cannot be generated, or null. */
export function checkFailures(f: Failures, lossRate: number | undefined): string | null {
  const o = f.outage;
  // A window no resend falls in: shorter than glibc's timeout, with a timeout's gap to the next.
  if (o !== undefined && !(o.lengthUs > 0 && o.lengthUs < GLIBC_TIMEOUT_US)) return 'an outage must be shorter than 5 s, so that the resend after the timeout is answered';
  if (o !== undefined && !(o.everyUs > o.lengthUs + GLIBC_TIMEOUT_US + 1000)) return 'outages must be more than 5 s apart, so that no resend falls in the next one';
  // An upstream outage may last any time shorter than its period: glibc's retry is at once.
  const u = f.upstreamDown;
  if (u !== undefined && !(u.lengthUs > 0 && u.lengthUs < u.everyUs)) return 'the upstream must be down for part of each period: 0 < LENGTH < EVERY';
  // A server both silent and answering SERVFAIL at once is no failure anybody has seen.
  if (o !== undefined && u !== undefined) return 'an outage and an upstream failure cannot be combined';
  if (f.silentRate !== undefined && !(f.silentRate >= 0 && f.silentRate <= 1)) return 'the silent rate is a probability, 0 to 1';
  if (f.firstServer !== undefined && ((lossRate ?? 0) > 0 || o !== undefined || u !== undefined || (f.silentRate ?? 0) > 0)) {
    return 'a failed first nameserver is not combined with other failures (loss rate 0)';
  }
  if (f.goShare !== undefined && !(f.goShare >= 0 && f.goShare <= 1)) return 'the Go share is a fraction of the pods, 0 to 1';
  return null;
}

/** "20:4.5" (seconds) → 4.5 s of every 20 s; null when it is not two numbers. */
function parseWindow(text: string): Outage | null {
  const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text);
  return m ? { everyUs: Math.round(Number(m[1]) * 1e6), lengthUs: Math.round(Number(m[2]) * 1e6) } : null;
}

/** Whether `timeUs` falls in a window of `o`. */
export function inOutage(o: Outage | undefined, timeUs: number): boolean {
  return o !== undefined && timeUs % o.everyUs < o.lengthUs;
}

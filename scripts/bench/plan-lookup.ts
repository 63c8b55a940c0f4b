/**
 * One application lookup as glibc's resolver sends it (RESOLVERS.md): for each search step a new
 * UDP socket (new source port), A and AAAA sent back to back on it with two random ids, answers in
 * either order, the next step once both are in. A reply lost in flight (the conntrack race) is
 * re-sent on the same socket with the same id after glibc's 5 s timeout. A pair answered SERVFAIL
 * is sent again at once as a pair, same socket, same ids (glibc's `attempts:2`, as the lab's
 * servfail.pcap shows); a second SERVFAIL moves the walk on, and ends it when it was the last step.
 * A pair never answered is re-sent together after 5 s; after the second timeout glibc abandons the
 * rest of the search list and asks the name as written (the lab's silent-name.pcap).
 */
import { CLUSTER_DOMAIN, DNS_SERVER, NODE_CACHE, type NameEntry, type Pod, searchListOf } from './cluster-catalogue.js';
import type { Prng } from './create-prng.js';
import { RCODE, TYPE } from './write-dns-message.js';
import { type Step, latencyUs, queryMessage, responseMessage, servfailMessage } from './server-answers.js';
import type { CaptureFrame, UdpFrame } from './write-capture-frame.js';
import { type Failures, type FirstServer, GLIBC_TIMEOUT_US, type Outage, inOutage } from './failure-options.js';

export interface PlanOptions extends Failures {
  /** Probability that one query's first send gets no reply (one in a few thousand). */
  lossRate: number;
}

/** Whether CoreDNS answers SERVFAIL for `name` at `timeUs`: it would forward the name, and the upstream is down. */
export function upstreamFails(o: Outage | undefined, name: string, timeUs: number): boolean {
  return inOutage(o, timeUs) && !name.endsWith(`.${CLUSTER_DOMAIN}`);
}

/** What the analysis of this lookup must find: the generator's ground truth. */
export interface LookupTruth {
  kind: 'search-expansion' | 'direct' | 'externalname';
  outcome: 'answered' | 'nxdomain' | 'servfail' | 'timeout';
  queries: number;
  responses: number;
  retransmissions: number;
  /** Transactions the second try after a SERVFAIL opened (each retries the first try's). */
  retries: number;
  /** Transactions answered after a resend, or as such a retry: dnstrace's `answered-after-retry`. */
  answeredAfterRetry: number;
  /** Transactions never answered (a silent step). */
  unanswered: number;
  transactions: number;
  wastedQueries: number;
  nxdomainResponses: number;
}

export interface LookupPlan {
  frames: CaptureFrame[];
  truth: LookupTruth;
  endUs: number;
}

/** A lookup's truth before its first packet: a planner counts into it as it plans. */
export function newTruth(): LookupTruth {
  return {
    kind: 'direct',
    // The last step's, once it is answered.
    outcome: 'nxdomain',
    queries: 0,
    responses: 0,
    retransmissions: 0,
    retries: 0,
    answeredAfterRetry: 0,
    unanswered: 0,
    transactions: 0,
    wastedQueries: 0,
    nxdomainResponses: 0,
  };
}

/** Plans every packet of one lookup of `entry` by `pod`, starting at `startUs`. */
export function planLookup(prng: Prng, pod: Pod, entry: NameEntry, startUs: number, opts: PlanOptions): LookupPlan {
  const steps = stepsOf(entry, searchListOf(pod.namespace));
  const frames: CaptureFrame[] = [];
  const truth = newTruth();
  let t = startUs;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    let port = pickPort(prng, pod, t);
    // Drawn as the first attempt sends (the order of draws is what keeps a capture's bytes); a
    // failed first server is asked with them first.
    let ids = [-1, -1];
    if (opts.firstServer !== undefined) {
      ({ nextAt: t, ids } = planFirstServerPair(prng, opts.firstServer, pod, port, step.name, t, frames, truth));
      port = pickPort(prng, pod, t);
    }
    if (opts.silentRate !== undefined && opts.silentRate > 0 && prng.chance(opts.silentRate)) {
      t = planSilentStep(prng, pod, port, step.name, t, frames, truth);
      if (step.name === entry.name) {
        truth.outcome = 'timeout';
        break;
      }
      truth.wastedQueries += 4;
      // glibc gives up the rest of the list: the name as written is next, even after the step
      // that would have answered (a Service's name as written does not exist).
      const bare = steps[steps.length - 1].name === entry.name ? steps[steps.length - 1] : nx(entry.name);
      steps.splice(i + 1, steps.length, bare);
      continue;
    }
    let stepEnd = t;
    let stepQueries = opts.firstServer !== undefined ? 2 : 0;
    let result = step.result;
    // glibc's attempts:2: a pair answered SERVFAIL is sent once more.
    for (let attempt = 0; attempt < 2; attempt++) {
      const failing = upstreamFails(opts.upstreamDown, step.name, t);
      const sendAt = [t, t + prng.int(10, 40)];
      [TYPE.A, TYPE.AAAA].forEach((qtype, k) => {
        if (ids[k] < 0) ids[k] = prng.int(0, 0xffff);
        const query = queryMessage(ids[k], step.name, qtype);
        const fromPod = (timeUs: number): UdpFrame => ({ timeUs, src: pod.host, srcPort: port, dst: DNS_SERVER, dstPort: 53, ipId: prng.int(0, 0xffff), message: query });
        let sent = sendAt[k];
        frames.push(fromPod(sent));
        stepQueries++;
        truth.transactions++;
        if (attempt > 0) truth.retries++;
        let resent = false;
        // The chance is drawn whether or not an outage swallows the send: the bytes of a capture
        // without outages do not depend on them. A SERVFAIL comes back at once and is never lost.
        if ((prng.chance(opts.lossRate) || inOutage(opts.outage, sent)) && !failing) {
          sent += GLIBC_TIMEOUT_US + prng.int(0, 300);
          frames.push(fromPod(sent));
          stepQueries++;
          truth.retransmissions++;
          resent = true;
        }
        if (resent || attempt > 0 || opts.firstServer !== undefined) truth.answeredAfterRetry++;
        const answeredAt = sent + (failing ? prng.int(40, 120) : latencyUs(prng, step.name));
        const response = failing ? servfailMessage(query) : responseMessage(query, step, entry);
        frames.push({ timeUs: answeredAt, src: DNS_SERVER, srcPort: 53, dst: pod.host, dstPort: port, ipId: prng.int(0, 0xffff), message: response });
        truth.responses++;
        if (response.rcode === RCODE.NXDOMAIN) truth.nxdomainResponses++;
        stepEnd = Math.max(stepEnd, answeredAt);
      });
      result = failing ? 'servfail' : step.result;
      if (!failing) break;
      t = stepEnd + prng.int(15, 60);
    }
    pod.busyPorts.set(port, stepEnd + 1);
    truth.queries += stepQueries;
    if (i < steps.length - 1) truth.wastedQueries += stepQueries;
    else truth.outcome = result === 'answer' ? 'answered' : result;
    t = stepEnd + prng.int(15, 60);
  }
  if (truth.wastedQueries > 0) truth.kind = 'search-expansion';
  else if (entry.kind === 'externalname') truth.kind = 'externalname';
  return { frames, truth, endUs: t };
}

/**
 * The pair of a step sent to the failed first server (its queries are counted with the step's):
 * gives when glibc asks the next server, 5 s later for a silent one and at once after the ICMP
 * errors of a dead one, and the ids to ask with.
 */
function planFirstServerPair(prng: Prng, first: FirstServer, pod: Pod, port: number, name: string, t: number, frames: CaptureFrame[], truth: LookupTruth): { nextAt: number; ids: number[] } {
  const sendAt = [t, t + prng.int(10, 40)];
  let lastIcmpAt = t;
  const ids = [TYPE.A, TYPE.AAAA].map((qtype, k) => {
    const id = prng.int(0, 0xffff);
    const query: UdpFrame = { timeUs: sendAt[k], src: pod.host, srcPort: port, dst: NODE_CACHE, dstPort: 53, ipId: prng.int(0, 0xffff), message: queryMessage(id, name, qtype) };
    frames.push(query);
    if (first === 'dead') {
      lastIcmpAt = sendAt[k] + prng.int(5, 20);
      frames.push({ timeUs: lastIcmpAt, ipId: prng.int(0, 0xffff), quoted: query });
    }
    return id;
  });
  truth.transactions += 2;
  truth.unanswered += 2;
  const nextAt = first === 'dead' ? lastIcmpAt + prng.int(20, 60) : t + GLIBC_TIMEOUT_US + prng.int(0, 300);
  pod.busyPorts.set(port, nextAt);
  return { nextAt, ids };
}

/**
 * A step whose A and AAAA are never answered: both sent, both re-sent on the socket after 5 s,
 * given up 5 s later. Returns when the walk's next step leaves.
 */
function planSilentStep(prng: Prng, pod: Pod, port: number, name: string, t: number, frames: CaptureFrame[], truth: LookupTruth): number {
  const second = t + prng.int(10, 40);
  const resendAt = t + GLIBC_TIMEOUT_US + prng.int(0, 300);
  [TYPE.A, TYPE.AAAA].forEach((qtype, k) => {
    const query = queryMessage(prng.int(0, 0xffff), name, qtype);
    for (const at of [k === 0 ? t : second, resendAt + k * prng.int(10, 40)]) {
      frames.push({ timeUs: at, src: pod.host, srcPort: port, dst: DNS_SERVER, dstPort: 53, ipId: prng.int(0, 0xffff), message: query });
    }
  });
  truth.queries += 4;
  truth.transactions += 2;
  truth.retransmissions += 2;
  truth.unanswered += 2;
  const givenUpAt = resendAt + GLIBC_TIMEOUT_US + prng.int(0, 300);
  pod.busyPorts.set(port, givenUpAt);
  return givenUpAt + prng.int(15, 60);
}

export const nx = (name: string): Step => ({ name, result: 'nxdomain' });

/** The names glibc tries, in order: with ndots:5 every catalogue name is searched first. */
export function stepsOf(entry: NameEntry, search: readonly string[]): Step[] {
  const n = entry.name;
  switch (entry.kind) {
    case 'service':
    case 'externalname':
      return [{ name: `${n}.${search[0]}`, result: 'answer' }];
    case 'cross-namespace':
      return [nx(`${n}.${search[0]}`), { name: `${n}.${search[1]}`, result: 'answer' }];
    case 'external':
    case 'external-cname':
      return [...search.map((s) => nx(`${n}.${s}`)), { name: n, result: 'answer' }];
    case 'missing':
      return [...search.map((s) => nx(`${n}.${s}`)), nx(n)];
    case 'fqdn':
      return [{ name: n, result: 'answer' }];
  }
}






/** An ephemeral port (Linux ip_local_port_range 32768–60999) not held by another open socket. */
export function pickPort(prng: Prng, pod: Pod, t: number): number {
  for (;;) {
    const port = prng.int(32768, 60999);
    const busyUntil = pod.busyPorts.get(port);
    if (busyUntil === undefined || busyUntil < t) return port;
  }
}

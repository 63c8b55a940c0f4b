import { formatEndpoint } from '../../decode/addresses.js';
import type { Diagnostics, DnsMessage } from '../../model.js';
import { readLines } from '../line-reader.js';
import { parseTextDns } from './parse-dns.js';
import { parsePacketLine } from './parse-line.js';

export interface TextInfo {
  lines: number;
  dns: number;
  /** Packet lines that are not DNS (other protocols, TCP handshakes). */
  notDns: number;
  /** Lines that are not packets at all: prompts, "listening on", counters, blank lines. */
  noise: number;
  /** Packet lines on a DNS port whose DNS text could not be read. */
  unparsed: number;
}

/** Microseconds in a day: time-of-day stamps that go backwards by more than half a day wrapped midnight. */
const DAY_US = 86_400_000_000;

/** Lines tcpdump itself prints around the packets; anything else unparsed is reported. */
const NOISE_RE =
  /^\s*$|^(?:tcpdump: |listening on |dropped privs|reading from file |\d+ packets? (?:captured|received by filter|dropped by kernel)|[^\s]*[$#>] )/;

/**
 * Reads tcpdump's text output and turns every DNS line into a DnsMessage whose frame is the line
 * number. Without -vv a response does not show its question; pairing supplies it later.
 */
export async function readTcpdumpText(
  chunks: AsyncIterable<Uint8Array>,
  onMessage: (m: DnsMessage) => void,
  diag: Diagnostics,
  dnsPorts: readonly number[] = [53],
): Promise<TextInfo> {
  const info: TextInfo = { lines: 0, dns: 0, notDns: 0, noise: 0, unparsed: 0 };
  const ports = new Set(dnsPorts);
  let dayOffset = 0;
  let lastTimeOfDay = -1;
  for await (const line of readLines(chunks)) {
    info.lines++;
    const p = parsePacketLine(line.text);
    if (p === null) {
      if (NOISE_RE.test(line.text)) info.noise++;
      else {
        info.unparsed++;
        diag.anomaly({ code: 'text-unparsed-line', frame: line.number, detail: 'not a tcpdump packet line dnstrace can read' });
      }
      continue;
    }
    if (!ports.has(p.srcPort) && !ports.has(p.dstPort)) {
      info.notDns++;
      continue;
    }
    const dns = parseTextDns(p.rest);
    if (dns === null) {
      info.unparsed++;
      diag.anomaly({ code: 'text-unparsed-dns', frame: line.number, detail: 'DNS text dnstrace cannot read' });
      continue;
    }
    let timeUs = p.timeUs ?? 0;
    if (p.timeOfDayOnly) {
      if (lastTimeOfDay >= 0 && timeUs + DAY_US / 2 < lastTimeOfDay) dayOffset += DAY_US;
      lastTimeOfDay = timeUs;
      timeUs += dayOffset;
    }
    info.dns++;
    onMessage({
      frame: line.number,
      timeUs,
      src: formatEndpoint(p.src, p.srcPort),
      dst: formatEndpoint(p.dst, p.dstPort),
      transport: p.transport,
      ...dns,
      authorities: [],
      additionals: [],
      sectionsComplete: false,
    });
  }
  return info;
}

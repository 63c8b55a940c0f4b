import type { Diagnostics, DnsMessage } from '../../model.js';
import { MAX_LINE_CHARS, readLines } from '../line-reader.js';
import { parseTextDns } from './parse-dns.js';
import { type TextLine, type TextStamp, parseTextLine } from './parse-line.js';
import { TextClock } from './text-clock.js';

export interface TextInfo {
  lines: number;
  dns: number;
  /** Packet lines that are not DNS (other protocols, TCP handshakes, segments without a whole message). */
  notDns: number;
  /** Lines that are not packets at all: prompts, "listening on", counters, blank lines. */
  noise: number;
  /** Lines that belong to the next or previous line's packet: -v IPv4 headers, wrapped lines. */
  joined: number;
  /** Packet lines on a DNS port whose DNS text could not be read. */
  unparsed: number;
  /**
   * DNS lines tcpdump itself marked as broken ("(invalid)", "<BAD PTR>") or cut short
   * ("[|domain]"). tcpdump prints "[|domain]" both when the snaplen cut the packet and when a
   * message's counts run past its end; the text cannot tell which, so both count as malformed
   * (with their own anomaly code), never as a snaplen truncation.
   */
  malformed: number;
}

/** Lines tcpdump, kubectl and shells print around the packets; anything else unread is reported. */
const NOISE_RE =
  /^\s*$|^(?:\^C|tcpdump: |listening on |dropped privs|reading from file |\d+ packets? (?:captured|received by filter|dropped by (?:kernel|interface))|Defaulted container |Unable to use a TTY|If you don't see a command prompt|(?:kubectl|oc|sudo|tcpdump|docker|crictl|nsenter) |\S*[$#>] )/;

/** How a packet line starts under -t (no timestamp): the protocol word, or an -i any prefix. */
const PACKET_WORD_RE = /^(?:IP6? |ARP, |\S+ (?:In|Out|B|M|P) )/;

/** A DNS line cut by a terminal is joined with at most this many following lines. */
const MAX_WRAPPED_LINES = 8;

type PacketLine = Extract<TextLine, { kind: 'packet' }>;

interface Wrapped {
  number: number;
  line: PacketLine;
  text: string;
  pieces: number;
}

/**
 * Reads tcpdump's text output and turns every DNS line into a DnsMessage whose frame is the line
 * number (of the first line, for a -v packet printed on two lines). Without -vv a response does
 * not show its question; pairing supplies it later. A response's RD and CD are not shown and
 * read as false (see flagsHiddenInText).
 */
export async function readTcpdumpText(
  chunks: AsyncIterable<Uint8Array>,
  onMessage: (m: DnsMessage) => void,
  diag: Diagnostics,
  dnsPorts: readonly number[] = [53],
): Promise<TextInfo> {
  const info: TextInfo = { lines: 0, dns: 0, notDns: 0, noise: 0, joined: 0, unparsed: 0, malformed: 0 };
  const ports = new Set(dnsPorts);
  const clock = new TextClock<DnsMessage>(onMessage);
  /** The -v IPv4 header line waiting for its indented second line. */
  let header: number | null = null;
  /**
   * The header was itself indented: a packet quoted inside another one (an ICMP error quoting
   * the query it bounces, a tunnel such as Broadcom LI). The capture decoder does not read
   * inside those, and an ICMP quote is not a message that was sent again: not DNS.
   */
  let nested = false;
  let wrapped: Wrapped | null = null;
  let lastStampKind: TextStamp['kind'] | null = null;
  let sawStamp = false;

  const unparsed = (number: number, detail: string) => {
    info.unparsed++;
    diag.anomaly({ code: 'text-unparsed-dns', frame: number, detail });
  };

  /** Turns a packet line's DNS text into a message; false when the text cannot be read. */
  const readDns = (number: number, p: PacketLine, text: string): boolean => {
    const r = parseTextDns(text);
    if (r === null) return false;
    if (r.kind === 'truncated') {
      info.malformed++;
      diag.anomaly({ code: 'text-dns-truncated', frame: number, detail: r.detail });
    } else if (r.kind === 'malformed') {
      info.malformed++;
      diag.anomaly({ code: 'text-dns-malformed', frame: number, detail: r.detail });
    } else {
      info.dns++;
      const d = r.dns;
      // Spelled out rather than spread: one object shape for every message, built once.
      const m: DnsMessage = {
        frame: number,
        timeUs: 0,
        src: endpointText(p.src, p.srcPort, p.srcPortText),
        dst: endpointText(p.dst, p.dstPort, p.dstPortText),
        transport: p.transport,
        id: d.id,
        isResponse: d.isResponse,
        opcode: d.opcode,
        flags: d.flags,
        rcode: d.rcode,
        question: d.question,
        answers: d.answers,
        authorities: d.authorities,
        additionals: d.additionals,
        sectionsComplete: d.sectionsComplete,
        counts: d.counts,
        size: d.size,
        ednsUdpSize: d.ednsUdpSize,
      };
      clock.put(m, lastStampKind);
    }
    return true;
  };

  const flushWrapped = () => {
    if (wrapped === null) return;
    unparsed(wrapped.number, `DNS text dnstrace cannot read${wrapped.pieces > 1 ? ` (tried joining ${wrapped.pieces} lines)` : ''}`);
    wrapped = null;
  };

  for await (const batch of readLines(chunks)) for (const line of batch) {
    info.lines++;
    if (line.cut) {
      diag.anomaly({ code: 'text-line-too-long', frame: line.number, detail: `line longer than ${MAX_LINE_CHARS} characters; only its start was read` });
    }
    const p = parseTextLine(line.text);
    if (wrapped !== null) {
      // A terminal or chat cut a long DNS line: the next lines that are not packets are its rest.
      if (p.kind === 'other' && p.stamp === null && !NOISE_RE.test(line.text) && wrapped.pieces < MAX_WRAPPED_LINES) {
        wrapped.text += line.text;
        wrapped.pieces++;
        info.joined++;
        if (readDns(wrapped.number, wrapped.line, wrapped.text)) wrapped = null;
        continue;
      }
      flushWrapped();
    }
    if (p.stamp !== null) {
      clock.tick(p.stamp);
      lastStampKind = p.stamp.kind;
      sawStamp = true;
    }
    if (p.kind === 'ip-header') {
      if (header !== null) info.joined++; // a header whose packet line never came (not DNS)
      header = line.number;
      nested = p.stamp === null && /^\s/.test(line.text);
      continue;
    }
    const first = header !== null && p.kind === 'packet' && p.indented ? header : line.number;
    const quoted = first !== line.number && nested;
    if (header !== null) info.joined++;
    header = null;
    nested = false;
    if (p.kind === 'other') {
      if (p.stamp !== null || PACKET_WORD_RE.test(line.text)) {
        // A packet tcpdump printed without UDP/TCP ports (ARP, ICMP) or declared broken.
        if (/\(invalid\)$/.test(line.text)) {
          info.malformed++;
          diag.anomaly({ code: 'text-packet-invalid', frame: line.number, detail: 'tcpdump marked the packet (invalid)' });
        } else info.notDns++;
      } else if (NOISE_RE.test(line.text) || p.indented) info.noise++;
      else {
        info.unparsed++;
        diag.anomaly({ code: 'text-unparsed-line', frame: line.number, detail: 'not a tcpdump packet line dnstrace can read' });
      }
      continue;
    }
    if (!isDnsPort(ports, p.srcPort) && !isDnsPort(ports, p.dstPort)) {
      info.notDns++;
      continue;
    }
    if (p.payload.kind === 'none' || quoted) {
      info.notDns++;
      continue;
    }
    if (!readDns(first, p, p.payload.text)) {
      if (/\)$/.test(p.payload.text) || line.cut) unparsed(first, 'DNS text dnstrace cannot read');
      else wrapped = { number: first, line: p, text: p.payload.text, pieces: 1 };
    }
  }
  flushWrapped();
  if (header !== null) info.joined++;
  clock.finish();
  if (!sawStamp && info.dns > 0) diag.warn('the tcpdump text has no timestamps (-t): every message is at time 0, so latencies are unknown and shown as 0');
  if (clock.relativeReading !== null) {
    diag.warn(`relative timestamps read as ${clock.relativeReading === 'delta' ? 'time since the previous packet (-ttt)' : 'time since the first packet (-ttttt)'}; the first packet is at time 0`);
  }
  return info;
}

function isDnsPort(ports: Set<number>, port: number | null): boolean {
  return port !== null && ports.has(port);
}

/** "addr:port", "[v6addr]:port", as the capture decoder spells endpoints; unknown service names stay words. */
function endpointText(addr: string, port: number | null, portText: string): string {
  const p = port ?? portText;
  return addr.includes(':') ? `[${addr}]:${p}` : `${addr}:${p}`;
}

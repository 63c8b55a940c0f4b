import type { Transport } from '../../model.js';

/** The packet part of one tcpdump line, before the protocol text. */
export interface TextPacketLine {
  /** Microseconds since the epoch, or since midnight when tcpdump printed only the time of day. */
  timeUs: number | null;
  timeOfDayOnly: boolean;
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  transport: Transport;
  /** Everything after "src > dst: ". */
  rest: string;
}

/** tcpdump prints these port numbers as service names (from /etc/services) unless -nn. */
const PORT_NAMES: Record<string, number> = { domain: 53, mdns: 5353, 'llmnr': 5355 };

const LINE_RE =
  /^(?:\s*\d+\s+)?(?:(\d{4}-\d\d-\d\d )?(\d\d):(\d\d):(\d\d)\.(\d+) |(\d+)\.(\d+) )?(?:\S+ (?:In|Out|B|M|P) )?(IP6?) (\S+) > (\S+): (.*)$/;

/** Reads "[-#] [time] [if dir] IP src.port > dst.port: rest"; null for any other line. */
export function parsePacketLine(line: string): TextPacketLine | null {
  const m = LINE_RE.exec(line);
  if (!m) return null;
  const src = splitEndpoint(m[9]);
  const dst = splitEndpoint(m[10].replace(/:$/, ''));
  if (!src || !dst) return null;
  let timeUs: number | null = null;
  let timeOfDayOnly = false;
  if (m[2] !== undefined) {
    const secOfDay = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
    const us = secOfDay * 1e6 + fractionUs(m[5]);
    if (m[1]) timeUs = Date.parse(`${m[1].trim()}T00:00:00Z`) * 1000 + us;
    else {
      timeUs = us;
      timeOfDayOnly = true;
    }
  } else if (m[6] !== undefined) {
    timeUs = Number(m[6]) * 1e6 + fractionUs(m[7]);
  }
  const rest = m[11];
  return {
    timeUs,
    timeOfDayOnly,
    ipVersion: m[8] === 'IP6' ? 6 : 4,
    src: src.addr,
    dst: dst.addr,
    srcPort: src.port,
    dstPort: dst.port,
    transport: /^Flags \[/.test(rest) ? 'tcp' : 'udp',
    rest,
  };
}

/** ".761076" → 761076; nanosecond text (9 digits) keeps its sub-microsecond part as a fraction. */
function fractionUs(digits: string): number {
  return Number(digits) / 10 ** (digits.length - 6);
}

/** tcpdump joins address and port with the last dot (IPv6 addresses contain none). */
function splitEndpoint(s: string): { addr: string; port: number } | null {
  const dot = s.lastIndexOf('.');
  if (dot <= 0) return null;
  const portText = s.slice(dot + 1);
  const port = /^\d+$/.test(portText) ? Number(portText) : PORT_NAMES[portText];
  if (port === undefined) return null;
  return { addr: s.slice(0, dot), port };
}

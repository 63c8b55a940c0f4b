import type { Diagnostics, DnsMessage, IcmpUnreachable, Transport } from '../../model.js';
import { dnsMessage } from '../../dns-message.js';
import { hostOf } from '../../host-of-endpoint.js';
import { type Line, LineSplitter, LineTexts, MAX_LINE_CHARS } from '../line-reader.js';
import { type TextDnsResult, parseTextDns } from './parse-dns.js';
import { type TextLine, type TextStamp, parseTextLine } from './parse-line.js';
import { mayBeIcmpUnreachable } from './parse-icmp.js';
import { TextClock } from './text-clock.js';
import { DnsPorts } from './dns-ports.js';
import { TextDnsCache } from './text-dns-cache.js';
import { TextIcmpErrors, dnsIdAt, dnsIdOfText, endpointText } from './text-icmp-errors.js';
import { TextLineBytes } from './text-line-bytes.js';

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


/**
 * tcpdump -i any (Linux cooked v2 headers) prints each packet's interface and direction before
 * the protocol: "lo    In  IP ...", "eth0  Out IP6 ..." (print-sll.c). Such a capture may show one
 * packet twice, on two interfaces; text without it came from one interface (or from the older
 * cooked v1 headers, which print no interface: read as one interface too).
 */
const ANY_DEVICE_RE = /(?:^|\s)[\w.@:-]+ +(?:In|Out|B|M|P) +IP6? /;
/** The first lines looked at for it. */
const ANY_DEVICE_PROBES = 64;
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
 *
 * The lines a DNS capture is made of are read from their bytes (TextLineBytes, TextDnsCache);
 * every other line is decoded and read by parseTextLine. Both give the same messages: the
 * differential tests read every fixture both ways. `fastLines: false` reads every line as text.
 * ICMP port unreachables about DNS go to `onIcmp`, in line order with the messages (see
 * TextIcmpErrors); their lines count as packets that are not DNS.
 */
export async function readTcpdumpText(
  chunks: AsyncIterable<Uint8Array>,
  onMessage: (m: DnsMessage) => void,
  diag: Diagnostics,
  dnsPorts: readonly number[] = [53],
  {
    fastLines = true,
    onIcmp = () => {},
    interfaces = { several: false },
  }: {
    fastLines?: boolean;
    onIcmp?: (u: IcmpUnreachable) => void;
    /** Set as soon as the lines show tcpdump -i any's interface names (see ANY_DEVICE_RE). */
    interfaces?: { several: boolean };
  } = {},
): Promise<TextInfo> {
  const reader = new TcpdumpTextReader(onMessage, onIcmp, diag, dnsPorts, fastLines, interfaces);
  const splitter = new LineSplitter();
  const take = reader.lineBytes;
  for await (const chunk of chunks) splitter.push(chunk, take);
  splitter.end(take);
  return reader.finish();
}

class TcpdumpTextReader {
  readonly info: TextInfo = { lines: 0, dns: 0, notDns: 0, noise: 0, joined: 0, unparsed: 0, malformed: 0 };
  private readonly ports: DnsPorts;
  private readonly clock: TextClock<DnsMessage, IcmpUnreachable>;
  private readonly icmp: TextIcmpErrors;
  private readonly texts = new LineTexts();
  private readonly bytes: TextLineBytes | null;
  private readonly dnsTexts = new TextDnsCache();
  /** The -v IPv4 header line waiting for its indented second line. */
  private header: number | null = null;
  /**
   * The header was itself indented: a packet quoted inside another one (an ICMP error quoting
   * the query it bounces, a tunnel such as Broadcom LI). The capture decoder does not read
   * inside those, and an ICMP quote is not a message that was sent again: not DNS.
   */
  private nested = false;
  private wrapped: Wrapped | null = null;
  private lastStampKind: TextStamp['kind'] | null = null;
  private sawStamp = false;
  /** Lines still to look at for an interface name (every line of tcpdump -i any has one). */
  private probes = ANY_DEVICE_PROBES;

  constructor(
    onMessage: (m: DnsMessage) => void,
    onIcmp: (u: IcmpUnreachable) => void,
    private readonly diag: Diagnostics,
    dnsPorts: readonly number[],
    fastLines: boolean,
    private readonly interfaces: { several: boolean },
  ) {
    this.ports = new DnsPorts(dnsPorts);
    this.clock = new TextClock<DnsMessage, IcmpUnreachable>(onMessage, onIcmp);
    this.icmp = new TextIcmpErrors(this.ports, (u) => this.clock.putOther(u, this.lastStampKind));
    this.bytes = fastLines ? new TextLineBytes() : null;
  }

  /** Takes one line from the LineSplitter: from its bytes when it can, else as text. */
  readonly lineBytes = (b: Uint8Array, start: number, end: number, number: number, cut: boolean): void => {
    if (this.probes > 0) this.probe(b, start, end);
    const bytes = this.bytes;
    if (bytes !== null && !cut) {
      // The CR of a CRLF (LineTexts drops it from the text the same way).
      const stop = end > start && b[end - 1] === 13 ? end - 1 : end;
      if (bytes.read(b, start, stop) && this.readLineBytes(b, stop, number, bytes)) return;
    }
    this.line(this.texts.line(b, start, end, number, cut));
  };

  /**
   * What `line` does with a line TextLineBytes read; false, having changed nothing, when the
   * line needs the text path after all (DNS text parseTextDns cannot read: it may be cut short
   * and continued on the next line).
   */
  private readLineBytes(b: Uint8Array, end: number, number: number, bytes: TextLineBytes): boolean {
    const info = this.info;
    if (bytes.kind === 'ip-header') {
      info.lines++;
      this.flushWrapped();
      this.icmp.flush();
      this.tick(bytes.stampKind!, bytes.stampUs);
      if (this.header !== null) info.joined++;
      this.header = number;
      this.nested = false;
      return true;
    }
    const first = this.header !== null && bytes.indented ? this.header : number;
    const quoted = first !== number && this.nested;
    const dns = this.ports.has(bytes.srcPort) || this.ports.has(bytes.dstPort);
    let r: TextDnsResult | null = null;
    if (dns && !quoted) {
      r = this.dnsTexts.parse(b, bytes.textStart, end);
      if (r === null) return false;
    }
    info.lines++;
    this.flushWrapped();
    if (quoted && this.icmp.awaitingQuote) {
      this.icmp.quote(bytes.src, bytes.srcPort, bytes.dst, bytes.dstPort, bytes.transport, dnsIdAt(b, bytes.textStart, end));
    } else this.icmp.flush();
    if (bytes.stampKind !== null) this.tick(bytes.stampKind, bytes.stampUs);
    if (this.header !== null) info.joined++;
    this.header = null;
    this.nested = false;
    if (r === null) info.notDns++;
    else this.take(first, bytes.src, bytes.dst, bytes.srcHost, bytes.dstHost, bytes.transport, this.dnsTexts.id, r);
    return true;
  }

  /** Whether the line shows tcpdump -i any's interface name and direction: then the capture saw several interfaces. */
  private probe(b: Uint8Array, start: number, end: number): void {
    this.probes--;
    const head = Buffer.from(b.buffer, b.byteOffset + start, Math.min(end - start, 120)).toString('latin1');
    if (ANY_DEVICE_RE.test(head)) {
      this.interfaces.several = true;
      this.probes = 0;
    }
  }

  /** One line read as text (parseTextLine). */
  line(line: Line): void {
    const info = this.info;
    info.lines++;
    if (line.cut) {
      this.diag.anomaly({ code: 'text-line-too-long', frame: line.number, detail: `line longer than ${MAX_LINE_CHARS} characters; only its start was read` });
    }
    const p = parseTextLine(line.text);
    const wrapped = this.wrapped;
    if (wrapped !== null) {
      // A terminal or chat cut a long DNS line: the next lines that are not packets are its rest.
      if (p.kind === 'other' && p.stamp === null && !NOISE_RE.test(line.text) && wrapped.pieces < MAX_WRAPPED_LINES) {
        wrapped.text += line.text;
        wrapped.pieces++;
        info.joined++;
        if (this.readDns(wrapped.number, wrapped.line, wrapped.text)) this.wrapped = null;
        return;
      }
      this.flushWrapped();
    }
    // An ICMP error's quote is a nested -v header and the packet line under it; anything else ends it.
    if (this.icmp.awaitingQuote && !(p.kind === 'ip-header' ? p.stamp === null && /^\s/.test(line.text) : p.kind === 'packet' && p.indented && this.nested)) {
      this.icmp.flush();
    }
    if (p.stamp !== null) this.tick(p.stamp.kind, p.stamp.us);
    if (p.kind === 'ip-header') {
      if (this.header !== null) info.joined++; // a header whose packet line never came (not DNS)
      this.header = line.number;
      this.nested = p.stamp === null && /^\s/.test(line.text);
      return;
    }
    const first = this.header !== null && p.kind === 'packet' && p.indented ? this.header : line.number;
    const quoted = first !== line.number && this.nested;
    if (this.header !== null) info.joined++;
    this.header = null;
    this.nested = false;
    if (quoted && p.kind === 'packet' && this.icmp.awaitingQuote) {
      const id = p.payload.kind === 'dns' ? dnsIdOfText(p.payload.text) : null;
      this.icmp.quote(endpointText(p.src, p.srcPort, p.srcPortText), p.srcPort ?? -1, endpointText(p.dst, p.dstPort, p.dstPortText), p.dstPort ?? -1, p.transport, id);
      info.notDns++;
      return;
    }
    // An ICMP line is rare and never read from bytes (its text after "src > dst: " is no DNS id).
    if (!quoted && mayBeIcmpUnreachable(line.text) && this.icmp.line(line.text, first, first !== line.number)) {
      info.notDns++;
      return;
    }
    if (p.kind === 'other') {
      if (p.stamp !== null || PACKET_WORD_RE.test(line.text)) {
        // A packet tcpdump printed without UDP/TCP ports (ARP, ICMP) or declared broken.
        if (/\(invalid\)$/.test(line.text)) {
          info.malformed++;
          this.diag.anomaly({ code: 'text-packet-invalid', frame: line.number, detail: 'tcpdump marked the packet (invalid)' });
        } else info.notDns++;
      } else if (NOISE_RE.test(line.text) || p.indented) info.noise++;
      else {
        info.unparsed++;
        this.diag.anomaly({ code: 'text-unparsed-line', frame: line.number, detail: 'not a tcpdump packet line dnstrace can read' });
      }
      return;
    }
    if (!this.ports.has(p.srcPort) && !this.ports.has(p.dstPort)) {
      info.notDns++;
      return;
    }
    if (p.payload.kind === 'none' || quoted) {
      info.notDns++;
      return;
    }
    if (!this.readDns(first, p, p.payload.text)) {
      if (/\)$/.test(p.payload.text) || line.cut) this.unparsed(first, 'DNS text dnstrace cannot read');
      else this.wrapped = { number: first, line: p, text: p.payload.text, pieces: 1 };
    }
  }

  finish(): TextInfo {
    this.flushWrapped();
    this.icmp.flush();
    if (this.header !== null) this.info.joined++;
    this.clock.finish();
    if (!this.sawStamp && this.info.dns > 0) this.diag.warn('the tcpdump text has no timestamps (-t): every message is at time 0, so latencies are unknown and shown as 0');
    if (this.clock.relativeReading !== null) {
      this.diag.warn(`relative timestamps read as ${this.clock.relativeReading === 'delta' ? 'time since the previous packet (-ttt)' : 'time since the first packet (-ttttt)'}; the first packet is at time 0`);
    }
    return this.info;
  }

  private tick(kind: TextStamp['kind'], us: number): void {
    this.clock.tick(kind, us);
    this.lastStampKind = kind;
    this.sawStamp = true;
  }

  /** Turns a packet line's DNS text into a message; false when the text cannot be read. */
  private readDns(number: number, p: PacketLine, text: string): boolean {
    const r = parseTextDns(text);
    if (r === null) return false;
    const src = endpointText(p.src, p.srcPort, p.srcPortText);
    const dst = endpointText(p.dst, p.dstPort, p.dstPortText);
    this.take(number, src, dst, hostOf(src), hostOf(dst), p.transport, r.kind === 'dns' ? r.dns.id : 0, r);
    return true;
  }

  /** Counts what a line's DNS text said, and sends its message on. */
  private take(number: number, src: string, dst: string, srcHost: string, dstHost: string, transport: Transport, id: number, r: TextDnsResult): void {
    const info = this.info;
    if (r.kind === 'truncated') {
      info.malformed++;
      this.diag.anomaly({ code: 'text-dns-truncated', frame: number, detail: r.detail });
    } else if (r.kind === 'malformed') {
      info.malformed++;
      this.diag.anomaly({ code: 'text-dns-malformed', frame: number, detail: r.detail });
    } else {
      info.dns++;
      const d = r.dns;
      const m = dnsMessage(number, 0, src, dst, srcHost, dstHost, transport, id, d, d.sectionsComplete, d.size);
      this.icmp.add(m);
      this.clock.put(m, this.lastStampKind);
    }
  }

  private unparsed(number: number, detail: string): void {
    this.info.unparsed++;
    this.diag.anomaly({ code: 'text-unparsed-dns', frame: number, detail });
  }

  private flushWrapped(): void {
    const wrapped = this.wrapped;
    if (wrapped === null) return;
    this.unparsed(wrapped.number, `DNS text dnstrace cannot read${wrapped.pieces > 1 ? ` (tried joining ${wrapped.pieces} lines)` : ''}`);
    this.wrapped = null;
  }
}

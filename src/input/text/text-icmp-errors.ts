import type { DnsMessage, IcmpUnreachable, Transport } from '../../model.js';
import { type TextIcmpUnreachable, parseTextIcmpUnreachable } from './parse-icmp.js';
import { RecentMessages } from './recent-messages.js';

interface Pending {
  frame: number;
  line: TextIcmpUnreachable;
}

/**
 * Turns tcpdump's ICMP port-unreachable lines into the IcmpUnreachable events the capture decoder
 * gives (src/decode/icmp-unreachable.ts), with as much as the text shows:
 * - with -v, print-icmp.c prints the refused datagram under the error ("\tIP (…)" and its
 *   "src.port > dst.port: id…" line): endpoints and DNS id exactly as the capture has them;
 * - without -v (and for ICMPv6, whose quote tcpdump never prints) the line names only the
 *   server's address and port and the client's host: the client's port and the DNS id are taken
 *   from the one recent query that fits (same host, same server, neither answered nor refused
 *   yet), and left unknown when none or several do, so that no error is pinned on the wrong query;
 * - an error about a response (the client's host refusing it: a socket closed, or connected to
 *   another address, as Go's are) names the client's address and port and goes back to the
 *   response's source: it is tied to the newest recent response to that port, and dropped when
 *   there is none.
 */
export class TextIcmpErrors {
  readonly recent = new RecentMessages();
  private pending: Pending | null = null;

  constructor(
    private readonly ports: { has(port: number | null): boolean },
    private readonly put: (u: IcmpUnreachable) => void,
  ) {}

  /** The error line's quote may still come (the next lines of a -v packet). */
  get awaitingQuote(): boolean {
    return this.pending !== null;
  }

  /**
   * A packet line that may be an ICMP error; false when it is not a port unreachable. `frame` is
   * its packet's first line; `quoteMayFollow`: it is the second line of a -v packet.
   */
  line(text: string, frame: number, quoteMayFollow: boolean): boolean {
    const line = parseTextIcmpUnreachable(text);
    if (line === null) return false;
    this.flush();
    if (quoteMayFollow && line.code === 3) this.pending = { frame, line };
    else this.unquoted(frame, line);
    return true;
  }

  /** The quoted datagram's line, under the pending error: endpoints as DnsMessage spells them. */
  quote(src: string, srcPort: number, dst: string, dstPort: number, transport: Transport, dnsId: number | null): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    const ports = this.ports;
    if (!ports.has(srcPort) && !ports.has(dstPort)) return;
    // As the capture decoder reads it: usually the quote is a query (client → server port); a
    // quoted response (the client's port had closed) has the roles the other way round.
    const quotesResponse = ports.has(srcPort) && !ports.has(dstPort);
    this.put({
      frame: pending.frame,
      timeUs: 0,
      reporter: pending.line.reporter,
      client: quotesResponse ? dst : src,
      server: quotesResponse ? src : dst,
      transport,
      code: pending.line.code,
      // TCP: the quote rarely reaches the data, and tcpdump prints no DNS for a segment.
      dnsId: transport === 'udp' ? dnsId : null,
    });
  }

  /** A pending error whose quote did not come: read from its own line. */
  flush(): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    this.unquoted(pending.frame, pending.line);
  }

  add(m: DnsMessage): void {
    this.recent.add(m);
  }

  private unquoted(frame: number, line: TextIcmpUnreachable): void {
    // Without the quote an error about a refused response names only the client's address and
    // port: the newest response to that port is the one (see unquotedAboutResponse).
    if (!this.ports.has(line.targetPort)) {
      this.unquotedAboutResponse(frame, line);
      return;
    }
    const server = endpointText(line.target, line.targetPort, line.targetPortText);
    const clientHost = line.to.includes(':') ? `[${line.to}]` : line.to;
    const query = this.recent.claimQuery(clientHost, server, line.transport);
    this.put({
      frame,
      timeUs: 0,
      reporter: line.reporter,
      client: query === null ? clientHost : query.src,
      server,
      transport: line.transport,
      code: line.code,
      dnsId: query === null || line.transport === 'tcp' ? null : query.id,
    });
  }

  /** An unquoted error about a response (see unquoted): dropped when no recent response fits. */
  private unquotedAboutResponse(frame: number, line: TextIcmpUnreachable): void {
    if (line.transport !== 'udp') return;
    const client = endpointText(line.target, line.targetPort, line.targetPortText);
    const response = this.recent.claimResponse(client, line.transport);
    if (response === null) return;
    // The quote -v would print names the error's destination as the response's source (after
    // any NAT back), and the response's port.
    const portText = response.src.slice(response.src.lastIndexOf(':') + 1);
    const port = Number(portText);
    const server = endpointText(line.to, Number.isInteger(port) ? port : null, portText);
    this.put({ frame, timeUs: 0, reporter: line.reporter, client, server, transport: line.transport, code: line.code, dnsId: response.id });
  }
}

/** "addr:port", "[v6addr]:port", as the capture decoder spells endpoints. */
export function endpointText(addr: string, port: number | null, portText: string): string {
  const p = port ?? portText;
  return addr.includes(':') ? `[${addr}]:${p}` : `${addr}:${p}`;
}

/** The DNS id a quoted DNS line's text b[from, end) starts with (print-domain.c prints it first), or null. */
export function dnsIdAt(b: Uint8Array, from: number, end: number): number | null {
  let id = 0;
  let at = from;
  for (; at < end && b[at] >= 48 && b[at] <= 57; at++) id = id * 10 + b[at] - 48;
  return at > from && at - from <= 5 && id <= 65535 ? id : null;
}

/** dnsIdAt for a text. */
export function dnsIdOfText(text: string): number | null {
  let id = 0;
  let at = 0;
  for (; at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57; at++) id = id * 10 + text.charCodeAt(at) - 48;
  return at > 0 && at <= 5 && id <= 65535 ? id : null;
}

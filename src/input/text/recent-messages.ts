import type { DnsMessage, Transport } from '../../model.js';

/**
 * DNS messages looked back at: an ICMP error follows the datagram it refuses within a round
 * trip, so the query it is about is among the last few messages of the text.
 */
export const RECENT_MESSAGES = 64;

/**
 * The last RECENT_MESSAGES messages of a tcpdump text, kept so that an ICMP port unreachable
 * printed without its quote (no -v) can be tied to the query it refuses when only one query
 * fits. Keeping one costs a store per message; the look-up runs only for an ICMP line.
 */
export class RecentMessages {
  private readonly messages: (DnsMessage | null)[] = new Array<DnsMessage | null>(RECENT_MESSAGES).fill(null);
  /** A query already tied to an earlier ICMP error. */
  private readonly claimed = new Uint8Array(RECENT_MESSAGES);
  private next = 0;

  add(m: DnsMessage): void {
    const at = this.next;
    this.messages[at] = m;
    this.claimed[at] = 0;
    this.next = (at + 1) & (RECENT_MESSAGES - 1);
  }

  /**
   * The one query from host `clientHost` to `server` over `transport` that is neither answered
   * nor tied to an earlier ICMP error, among the recent messages; null when none or several fit
   * (then the text cannot say which one was refused). The query is tied to the error.
   */
  claimQuery(clientHost: string, server: string, transport: Transport): DnsMessage | null {
    const messages = this.messages;
    let found = -1;
    // Newest first: a response is seen before the query it answers.
    const answered: DnsMessage[] = [];
    for (let k = 1; k <= RECENT_MESSAGES; k++) {
      const at = (this.next - k) & (RECENT_MESSAGES - 1);
      const m = messages[at];
      if (m === null) break;
      if (m.transport !== transport) continue;
      if (m.isResponse) {
        if (m.src === server) answered.push(m);
        continue;
      }
      if (m.dst !== server || this.claimed[at] === 1 || !isHostOf(m.src, clientHost)) continue;
      if (answered.some((r) => r.dst === m.src && r.id === m.id)) continue;
      if (found >= 0) return null;
      found = at;
    }
    if (found < 0) return null;
    this.claimed[found] = 1;
    return messages[found];
  }

  /**
   * The newest response to `client` (an endpoint) over `transport` among the recent messages, or
   * null when there is none or an earlier ICMP error was tied to it. A client's host refuses a
   * response within a round trip of it, when the socket is gone or connected to another address;
   * the error goes back to the response's source as the sender's NAT, if any, restores it, so its
   * address is no guide: the client's port is. The response is tied to the error.
   */
  claimResponse(client: string, transport: Transport): DnsMessage | null {
    const messages = this.messages;
    for (let k = 1; k <= RECENT_MESSAGES; k++) {
      const at = (this.next - k) & (RECENT_MESSAGES - 1);
      const m = messages[at];
      if (m === null) break;
      if (!m.isResponse || m.transport !== transport || m.dst !== client) continue;
      if (this.claimed[at] === 1) return null;
      this.claimed[at] = 1;
      return m;
    }
    return null;
  }
}

/** "host:port" or "[v6]:port" (endpointText's forms) whose host is `host` ("[v6]" bracketed). */
function isHostOf(endpoint: string, host: string): boolean {
  return endpoint.length > host.length + 1 && endpoint.charCodeAt(host.length) === 58 && endpoint.startsWith(host) && endpoint.indexOf(':', host.length + 1) < 0;
}

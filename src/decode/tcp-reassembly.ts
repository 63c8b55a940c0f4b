/**
 * DNS over TCP (RFC 1035 §4.2.2, RFC 7766 §8): each message is preceded by a 2-byte length,
 * and TCP may split or merge messages at any byte. This rebuilds each direction of each
 * connection from sequence numbers and cuts it into messages.
 */

/** One DNS message as the length prefix frames it; 65535 is the most a 16-bit length can say. */
const MAX_MESSAGE = 65_535;
/**
 * Bytes held per direction beyond the next expected byte (out-of-order segments). A DNS client
 * or server keeps at most one message in flight per window in practice; one largest message and
 * its prefix is room enough, and a flow that needs more has lost a segment for good.
 */
export const MAX_OUT_OF_ORDER_BYTES = MAX_MESSAGE + 2;
/**
 * Directions tracked at once. A busy node-local cache keeps a few hundred TCP connections to its
 * upstreams; beyond this, the least recently opened direction is given up (and reported).
 */
export const MAX_TCP_FLOWS = 16_384;

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;

interface Flow {
  /** Sequence number of the next byte expected; null until the first segment sets it. */
  next: number | null;
  /** Contiguous bytes received but not yet cut into messages (at most one partial message). */
  buf: Uint8Array;
  bufLen: number;
  /** Segments that arrived ahead of `next`, copied. */
  ahead: { seq: number; data: Uint8Array }[];
  aheadBytes: number;
  /** Frame of the segment that started the partial message in `buf`, for the anomaly. */
  partialFrame: number;
}

export interface TcpSegment {
  /** "src|sport|dst|dport": one direction of one connection. */
  flow: string;
  seq: number;
  flags: number;
  data: Uint8Array;
  frame: number;
}

/** Something wrong with a stream: reported as an Anomaly by the caller. */
export interface StreamProblem {
  code: 'tcp-stream-incomplete' | 'tcp-stream-gap' | 'tcp-flow-evicted';
  frame: number;
  detail: string;
}

export class TcpReassembler {
  private readonly flows = new Map<string, Flow>();

  constructor(private readonly onProblem: (p: StreamProblem) => void) {}

  /**
   * Feeds one segment; calls `onMessage` with each DNS message it completes (the view is only
   * valid during the call). Returns how many messages it completed.
   */
  add(s: TcpSegment, onMessage: (m: Uint8Array) => void): number {
    let flow = this.flows.get(s.flow);
    if (s.flags & SYN) {
      // A new connection on a reused 4-tuple starts clean; the old one's leftovers are reported.
      if (flow !== undefined) {
        this.close(s.flow, flow, s.frame);
        this.flows.delete(s.flow);
      }
      flow = this.open(s.flow, s.frame);
      flow.next = (s.seq + 1) >>> 0;
    }
    let completed = 0;
    if (s.data.length > 0) {
      if (flow === undefined) flow = this.open(s.flow, s.frame);
      // Capture started mid-connection: the first data seen is taken as a message boundary.
      if (flow.next === null) flow.next = s.seq;
      completed = this.accept(flow, s.seq, s.data, s.frame, onMessage);
    }
    if (flow !== undefined && s.flags & (FIN | RST)) {
      this.close(s.flow, flow, s.frame);
      if (s.flags & RST) {
        const [a, ap, b, bp] = s.flow.split('|');
        const reverse = `${b}|${bp}|${a}|${ap}`;
        const other = this.flows.get(reverse);
        if (other !== undefined) this.close(reverse, other, s.frame);
      }
    }
    return completed;
  }

  /** At the end of the capture, a direction holding part of a message is reported. */
  finish(lastFrame: number): void {
    for (const [key, flow] of this.flows) this.close(key, flow, lastFrame);
    this.flows.clear();
  }

  private open(key: string, frame: number): Flow {
    if (this.flows.size >= MAX_TCP_FLOWS) {
      const [oldKey, old] = this.flows.entries().next().value as [string, Flow];
      this.flows.delete(oldKey);
      if (old.bufLen > 0 || old.aheadBytes > 0) {
        this.onProblem({ code: 'tcp-flow-evicted', frame, detail: `${describe(oldKey)}: given up with ${old.bufLen + old.aheadBytes} bytes buffered, more than ${MAX_TCP_FLOWS} TCP directions open at once` });
      }
    }
    const flow: Flow = { next: null, buf: EMPTY, bufLen: 0, ahead: [], aheadBytes: 0, partialFrame: frame };
    this.flows.set(key, flow);
    return flow;
  }

  /**
   * Reports a partial message and empties the buffers. The direction stays known (until evicted
   * or reused by a SYN), so a segment resent after the FIN is recognised by its sequence number
   * instead of being read again as a new stream.
   */
  private close(key: string, flow: Flow, frame: number): void {
    const held = flow.bufLen + flow.aheadBytes;
    if (held > 0) {
      this.onProblem({
        code: 'tcp-stream-incomplete',
        frame,
        detail: `${describe(key)}: the connection ended ${held} bytes into a DNS message that started in frame ${flow.partialFrame}`,
      });
    }
    flow.bufLen = 0;
    flow.ahead = [];
    flow.aheadBytes = 0;
  }

  private accept(flow: Flow, seq: number, data: Uint8Array, frame: number, onMessage: (m: Uint8Array) => void): number {
    const delta = (seq - (flow.next as number)) | 0;
    if (delta > 0) {
      flow.ahead.push({ seq, data: data.slice() });
      flow.aheadBytes += data.length;
      if (flow.aheadBytes <= MAX_OUT_OF_ORDER_BYTES) return 0;
      this.skipGap(flow, frame);
      return this.drain(flow, frame, onMessage);
    }
    // Retransmission: skip what was already taken (all of it for a plain resend).
    if (-delta >= data.length) return 0;
    return this.consume(flow, data.subarray(-delta), frame, onMessage) + this.drain(flow, frame, onMessage);
  }

  /** Segments that were waiting for the bytes just taken may now follow on. */
  private drain(flow: Flow, frame: number, onMessage: (m: Uint8Array) => void): number {
    let completed = 0;
    while (flow.ahead.length > 0) {
      const i = flow.ahead.findIndex((a) => ((a.seq - (flow.next as number)) | 0) <= 0);
      if (i < 0) break;
      const [a] = flow.ahead.splice(i, 1);
      flow.aheadBytes -= a.data.length;
      const skip = -((a.seq - (flow.next as number)) | 0);
      if (skip < a.data.length) completed += this.consume(flow, a.data.subarray(skip), frame, onMessage);
    }
    return completed;
  }

  /**
   * A segment is lost for good (more than one largest message waits behind the hole): drop the
   * partial message and resume at the earliest byte held. The next length prefix is then a
   * guess, as it is for a capture that starts mid-connection.
   */
  private skipGap(flow: Flow, frame: number): void {
    flow.ahead.sort((a, b) => (a.seq - b.seq) | 0);
    const resume = flow.ahead[0].seq;
    this.onProblem({
      code: 'tcp-stream-gap',
      frame,
      detail: `${((resume - (flow.next as number)) | 0)} bytes of a TCP stream were never captured; ${flow.bufLen} buffered bytes dropped`,
    });
    flow.bufLen = 0;
    flow.next = resume;
  }

  /** Appends in-order bytes and cuts out every whole message. */
  private consume(flow: Flow, data: Uint8Array, frame: number, onMessage: (m: Uint8Array) => void): number {
    flow.next = ((flow.next as number) + data.length) >>> 0;
    let completed = 0;
    let d = data;
    if (flow.bufLen === 0) {
      // The common case: whole messages straight from the segment, no copy.
      let at = 0;
      while (d.length - at >= 2) {
        const len = (d[at] << 8) | d[at + 1];
        if (d.length - at - 2 < len) break;
        onMessage(d.subarray(at + 2, at + 2 + len));
        completed++;
        at += 2 + len;
      }
      if (at === d.length) return completed;
      d = d.subarray(at);
      flow.partialFrame = frame;
    }
    this.append(flow, d);
    for (;;) {
      if (flow.bufLen < 2) return completed;
      const len = (flow.buf[0] << 8) | flow.buf[1];
      if (flow.bufLen - 2 < len) return completed;
      onMessage(flow.buf.subarray(2, 2 + len));
      completed++;
      flow.buf.copyWithin(0, 2 + len, flow.bufLen);
      flow.bufLen -= 2 + len;
      if (flow.bufLen > 0) flow.partialFrame = frame;
    }
  }

  private append(flow: Flow, d: Uint8Array): void {
    const need = flow.bufLen + d.length;
    if (need > flow.buf.length) {
      const grown = new Uint8Array(Math.max(need, Math.min(flow.buf.length * 2, MAX_MESSAGE + 2), 512));
      grown.set(flow.buf.subarray(0, flow.bufLen));
      flow.buf = grown;
    }
    flow.buf.set(d, flow.bufLen);
    flow.bufLen = need;
  }
}

const EMPTY = new Uint8Array(0);

function describe(key: string): string {
  const [a, ap, b, bp] = key.split('|');
  const ep = (addr: string, port: string) => (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);
  return `TCP ${ep(a, ap)} > ${ep(b, bp)}`;
}

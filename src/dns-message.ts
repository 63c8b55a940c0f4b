import type { DnsContent, DnsMessage, Transport } from './model.js';

/**
 * A DnsMessage from what a decoder read (`content`) and where and when the message was seen:
 * the one place that spells out the model's field order, for the reference and fast wire decoders
 * and the tcpdump text reader, so that every message has one object shape (a spread would copy
 * slowly and could order the fields otherwise). The fast decoder makes its first message here and
 * then fills in the values from its cached bodies (it reuses that object on the hot path).
 */
export function dnsMessage(
  frame: number,
  timeUs: number,
  src: string,
  dst: string,
  srcHost: string,
  dstHost: string,
  transport: Transport,
  id: number,
  content: DnsContent,
  sectionsComplete: boolean,
  size: number,
): DnsMessage {
  return {
    frame,
    timeUs,
    src,
    dst,
    srcHost,
    dstHost,
    transport,
    id,
    isResponse: content.isResponse,
    opcode: content.opcode,
    flags: content.flags,
    rcode: content.rcode,
    question: content.question,
    answers: content.answers,
    authorities: content.authorities,
    additionals: content.additionals,
    sectionsComplete,
    counts: content.counts,
    size,
    ednsUdpSize: content.ednsUdpSize,
  };
}

import type { DnsContent, DnsMessage, Transport } from './model.js';

/**
 * A DnsMessage from what a decoder read (`content`) and where and when the message was seen:
 * the one place that spells out the model's field order for the reference wire decoder and the
 * tcpdump text reader, so that every message has one object shape (a spread would copy slowly and
 * could order the fields otherwise). The fast wire decoder builds the same shape from its cached
 * bodies; test/decode/fast-decode.test.ts holds it to this one.
 */
export function dnsMessage(
  frame: number,
  timeUs: number,
  src: string,
  dst: string,
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

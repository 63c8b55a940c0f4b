import { createReadStream } from 'node:fs';
import { FrameDecoder } from '../../src/decode/frame-decoder.js';
import { sniffInput } from '../../src/input/open-input.js';
import { readPcap } from '../../src/input/pcap-reader.js';
import { readPcapng } from '../../src/input/pcapng-reader.js';
import type { Anomaly, DnsMessage, Frame } from '../../src/model.js';
import { ROOT } from '../helpers.js';

export const CAPTURES = `${ROOT}test/decode/captures/`;

/** Reads a capture (any format) through the decode stage; keeps messages, anomalies, warnings. */
export async function decodeFile(path: string, ports: number[] = [53], options: { reference?: boolean } = {}) {
  return decodeChunks(createReadStream(path), ports, options);
}

/** `reference`: decode DNS with the reference decoder instead of the fast one (differential tests). */
export async function decodeChunks(chunks: AsyncIterable<Uint8Array>, ports: number[] = [53], options: { reference?: boolean } = {}) {
  const anomalies: Anomaly[] = [];
  const warnings: string[] = [];
  const diag = { anomaly: (a: Anomaly) => anomalies.push(a), warn: (w: string) => warnings.push(w) };
  const input = await sniffInput(chunks, false, diag);
  const decoder = new FrameDecoder(diag, ports, options);
  const messages: DnsMessage[] = [];
  const read = input.format === 'pcap' ? readPcap : readPcapng;
  const info = await read(input.chunks, (f) => decoder.decode(f, messages), diag);
  decoder.finish();
  return { messages, anomalies, warnings, info, accounting: decoder.accounting, icmp: decoder.icmpUnreachable, format: input.format };
}

/** Decodes frames built in a test, one by one. */
export function decodeFrames(frames: Omit<Frame, 'number'>[], ports: number[] = [53], options: { reference?: boolean } = {}) {
  const anomalies: Anomaly[] = [];
  const decoder = new FrameDecoder({ anomaly: (a) => anomalies.push(a), warn: () => {} }, ports, options);
  const messages: DnsMessage[] = [];
  frames.forEach((f, i) => decoder.decode({ ...f, number: i + 1 }, messages));
  decoder.finish();
  return { messages, anomalies, accounting: decoder.accounting, icmp: decoder.icmpUnreachable };
}

/** One line per message: what the tests compare. */
export function summarize(m: DnsMessage): string {
  return `${m.frame} ${m.transport} ${m.src} > ${m.dst} ${m.id} ${m.isResponse ? 'R' : 'Q'} ${m.question?.name ?? '?'} ${m.question?.type ?? '?'} ${m.rcode}${m.flags.tc ? ' TC' : ''} an=${m.answers.length}`;
}

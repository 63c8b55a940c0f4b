import { createReadStream, readFileSync } from 'node:fs';
import { FrameDecoder } from '../../src/decode/frame-decoder.js';
import { readPcap } from '../../src/input/pcap-reader.js';
import { readTcpdumpText, type TextInfo } from '../../src/input/text/read-tcpdump-text.js';
import type { Anomaly, Diagnostics, DnsMessage } from '../../src/model.js';

export interface Read {
  messages: DnsMessage[];
  anomalies: Anomaly[];
  warnings: string[];
}

/** The capture through dnstrace's own reader and decoder, as the pipeline runs them. */
export async function readCapture(path: string, ports: readonly number[]): Promise<Read> {
  const messages: DnsMessage[] = [];
  const anomalies: Anomaly[] = [];
  const warnings: string[] = [];
  const diag: Diagnostics = { anomaly: (a) => anomalies.push(a), warn: (w) => warnings.push(w) };
  const decoder = new FrameDecoder(diag, ports);
  await readPcap(createReadStream(path), (f) => decoder.decode(f, messages), diag);
  return { messages, anomalies, warnings };
}

/** tcpdump's text rendering through the text reader. */
export async function readText(path: string, ports: readonly number[]): Promise<Read & { info: TextInfo }> {
  const messages: DnsMessage[] = [];
  const anomalies: Anomaly[] = [];
  const warnings: string[] = [];
  const diag: Diagnostics = { anomaly: (a) => anomalies.push(a), warn: (w) => warnings.push(w) };
  const info = await readTcpdumpText(createReadStream(path), (m) => messages.push(m), diag, ports);
  return { messages, anomalies, warnings, info };
}

/** Line number → tcpdump's -# packet number of the packet that line belongs to. */
export function packetNumbersByLine(path: string): number[] {
  const numbers: number[] = [0];
  let current = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*(\d+)  /.exec(line);
    if (m) current = Number(m[1]);
    numbers.push(current);
  }
  return numbers;
}

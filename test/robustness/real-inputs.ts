import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { CORPUS, FIXTURES, HAVE_CORPUS } from '../helpers.js';

export interface RealInput {
  name: string;
  bytes: Uint8Array;
}

const CAPTURE = /\.(pcap|pcapng|cap)(\.gz)?$/;
const TEXT = /\.(txt|out)$/;

function list(dir: string, pattern: RegExp, label: string): RealInput[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => ({ name: `${label}${f}`, bytes: new Uint8Array(readFileSync(dir + f)) }));
}

/** Captures in fixtures/ and, when present, the shared corpus. */
export function realCaptures(): RealInput[] {
  return [...list(FIXTURES, CAPTURE, 'fixtures/'), ...(HAVE_CORPUS ? list(`${CORPUS}tcpdump/`, CAPTURE, 'corpus/') : [])];
}

/** tcpdump text renderings in fixtures/ and, when present, the shared corpus. */
export function realTexts(): RealInput[] {
  return [...list(FIXTURES, TEXT, 'fixtures/'), ...(HAVE_CORPUS ? list(`${CORPUS}tcpdump/`, TEXT, 'corpus/') : [])];
}

export function noteMissingCorpus(): void {
  if (!HAVE_CORPUS) console.log('shared corpus not found: robustness runs use fixtures/ only (corpus cases skipped)');
}

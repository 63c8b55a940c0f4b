/**
 * The benchmark's inputs in bench-data/ (git-ignored), made once and reused: the capture, its
 * gzip, and tcpdump's text rendering of it. A file is only trusted when its ground-truth
 * manifest (written last) exists, so an interrupted run never leaves a half capture in use.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { writeCaptureFile } from './generate-capture-cli.js';
import { type CaptureStats, DEFAULT_SEED } from './generate-capture.js';
import type { Failures } from './failure-options.js';

export interface BenchCapture {
  pcap: string;
  stats: CaptureStats;
}

/** A capture of the generator's traffic with failures, named for the file it is kept in. */
export interface Scenario {
  name: string;
  failures: Failures;
}

/** The generator's healthy traffic. */
const REALISTIC: Scenario = { name: 'realistic', failures: {} };

export function prepareCapture(dir: string, messages: number, log: (s: string) => void, scenario: Scenario = REALISTIC): BenchCapture {
  mkdirSync(dir, { recursive: true });
  const pcap = `${dir}/${scenario.name}-${messages}.pcap`;
  const manifest = `${pcap}.json`;
  if (!existsSync(manifest) || !existsSync(pcap)) {
    log(`generating ${pcap} (${messages} DNS messages)...`);
    rmSync(manifest, { force: true });
    writeCaptureFile(`${pcap}.partial`, messages, DEFAULT_SEED, undefined, scenario.failures);
    renameSync(`${pcap}.partial`, pcap);
    renameSync(`${pcap}.partial.json`, manifest);
  }
  return { pcap, stats: JSON.parse(readFileSync(manifest, 'utf8')) as CaptureStats };
}

export async function prepareGzip(pcap: string, log: (s: string) => void): Promise<string> {
  const gz = `${pcap}.gz`;
  if (!existsSync(gz)) {
    log(`compressing ${gz}...`);
    await pipeline(createReadStream(pcap), createGzip(), createWriteStream(`${gz}.partial`));
    renameSync(`${gz}.partial`, gz);
  }
  return gz;
}

/** `tcpdump -n -r F > F.txt`; null when tcpdump is not installed. Returns the path and its line count. */
export function prepareText(pcap: string, log: (s: string) => void): { path: string; lines: number } | null {
  const txt = pcap.replace(/\.pcap$/, '.txt');
  if (!existsSync(txt)) {
    if (!haveCommand('tcpdump')) return null;
    log(`rendering ${txt} with tcpdump -n -r...`);
    const r = spawnSync('sh', ['-c', `tcpdump -n -r '${pcap}' > '${txt}.partial' 2>/dev/null`]);
    if (r.status !== 0) return null;
    renameSync(`${txt}.partial`, txt);
  }
  const wc = spawnSync('wc', ['-l', txt], { encoding: 'utf8' });
  return { path: txt, lines: Number(wc.stdout.trim().split(' ')[0]) };
}

export function haveCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

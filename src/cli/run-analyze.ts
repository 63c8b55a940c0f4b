import { readFile } from 'node:fs/promises';
import { parseResolvConf } from '../analyze/parse-resolv-conf.js';
import type { ResolverOverrides } from '../analyze/resolver-profile-inferrer.js';
import { EXIT } from '../exit-codes.js';
import type { Report } from '../model.js';
import { type AnalyzeOptions, DEFAULT_OPTIONS } from '../pipeline.js';
import { trackProgress } from '../report/progress-meter.js';
import { type ReportFormat, writeReport } from '../write-report.js';
import type { CliHost } from './cli-host.js';
import { openSource } from './open-source.js';
import { FileSink, ReportOutput } from './report-output.js';
import { TempSpool } from './temp-spool.js';
import { UsageError } from './usage-error.js';

/**
 * Anomalies that say the input file itself is damaged (cut off, or corrupt from some byte on), as
 * opposed to odd packets inside a sound file or the analysis' own limits: what --strict fails on.
 */
const DAMAGED_INPUT_ANOMALIES = new Set([
  'pcap-truncated-record',
  'pcap-bad-record-length',
  'pcapng-truncated-block',
  'pcapng-bad-block-length',
  'pcapng-bad-section-header',
  'gzip-corrupt',
]);

export interface AnalyzeFlags {
  /** Unset: text on a terminal, markdown otherwise (see chooseFormat). */
  format?: ReportFormat;
  output?: string;
  timeout: number;
  top: number;
  /** Issue 8: a damaged capture (cut off, corrupt) is an input error, not a warning. */
  strict?: boolean;
  failOn: string[];
  /** false with --no-color. */
  color: boolean;
  port: number[];
  search?: string[];
  ndots?: number;
  namespace?: string;
  resolvConf?: string;
}

/** `dnstrace analyze`: the report written as the analysis runs, then warnings, then the exit code. */
export async function runAnalyze(file: string | undefined, flags: AnalyzeFlags, host: CliHost): Promise<number> {
  const source = await openSource(file, host);
  const options: Partial<AnalyzeOptions> = {
    timeoutMs: flags.timeout,
    ports: [...new Set([...DEFAULT_OPTIONS.ports, ...flags.port])],
    resolver: await resolverOverrides(flags, host),
  };
  if (host.stderrIsTTY) {
    source.chunks = trackProgress(source.chunks, { totalBytes: source.size ?? null, write: (t) => host.writeErr(t) });
  }
  const format = chooseFormat(flags, host);
  const output = new ReportOutput(flags.output === undefined ? host.stdout : new FileSink(flags.output));
  const spool = format === 'json' ? await TempSpool.create(host.makeGuardedDirectory, output.synchronous) : undefined;
  let report: Report;
  try {
    const render = { top: flags.top, color: useColor(flags, host), width: flags.output ? 80 : Math.min(80, host.stdoutColumns || 80) };
    report = await writeReport(source, format, output, { analyze: options, render, spool });
    await output.end();
  } finally {
    spool?.remove();
  }
  for (const w of report.warnings) host.writeErr(`dnstrace: warning: ${w}\n`);
  // A capture cut off or corrupt mid-file: by default everything readable was analysed and that
  // is a success (with a warning); --strict makes it an input error. The counts, not the list:
  // the list stops at its first entries.
  const counts = report.aggregates?.anomalyCounts ?? [];
  if (flags.strict && counts.some((a) => DAMAGED_INPUT_ANOMALIES.has(a.code))) return EXIT.usage;
  return failOnCode(report, flags.failOn, host);
}

/** --resolv-conf first, then --search, --ndots and --namespace over it; each value says where it came from. */
async function resolverOverrides(flags: AnalyzeFlags, host: CliHost): Promise<ResolverOverrides> {
  let o: ResolverOverrides = { origin: {} };
  if (flags.resolvConf !== undefined) {
    let text: string;
    try {
      text = await readFile(flags.resolvConf, 'utf8');
    } catch (e) {
      throw new UsageError(`${flags.resolvConf}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? 'cannot read')}`);
    }
    const parsed = parseResolvConf(text, `from --resolv-conf ${flags.resolvConf}`);
    for (const p of parsed.problems) host.writeErr(`dnstrace: warning: ${flags.resolvConf}: ${p}\n`);
    o = parsed.overrides;
  }
  const origin = o.origin as Record<string, string>;
  if (flags.search) (o.searchList = flags.search), (origin.searchList = 'given on the command line (--search)');
  if (flags.ndots !== undefined) (o.ndots = flags.ndots), (origin.ndots = 'given on the command line (--ndots)');
  if (flags.namespace !== undefined) (o.namespace = flags.namespace), (origin.namespace = 'given on the command line (--namespace)');
  return o;
}

/**
 * Without --format: the terminal summary when a person reads stdout, markdown when it goes to a
 * file or a pipe (pasted into a ticket, saved for the review). -o always means a file.
 */
function chooseFormat(flags: AnalyzeFlags, host: CliHost): ReportFormat {
  if (flags.format) return flags.format;
  return !flags.output && host.stdoutIsTTY ? 'text' : 'markdown';
}

/** Colour only for the terminal summary on a terminal, never with --no-color or NO_COLOR (no-color.org: any non-empty value). */
function useColor(flags: AnalyzeFlags, host: CliHost): boolean {
  return flags.color !== false && !flags.output && host.stdoutIsTTY && !process.env.NO_COLOR;
}

/** --fail-on: exit 1 (never 2, the usage code) when a finding of a named kind is present, and say which on stderr. */
function failOnCode(report: Report, kinds: readonly string[], host: CliHost): number {
  if (kinds.length === 0) return EXIT.ok;
  const hits = report.findings.filter((f) => kinds.includes('any') || kinds.includes(f.kind));
  if (hits.length === 0) return EXIT.ok;
  const counts = new Map<string, number>();
  for (const f of hits) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  const list = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  host.writeErr(`dnstrace: --fail-on: found ${list}\n`);
  return EXIT.findings;
}

import { compareReports } from '../diff/compare-reports.js';
import { loadReport } from '../diff/load-report.js';
import { EXIT } from '../exit-codes.js';
import type { AnalyzeOptions } from '../pipeline.js';
import { renderDiffJson } from '../report/diff/render-diff-json.js';
import { renderDiffMarkdown } from '../report/diff/render-diff-markdown.js';
import { renderDiffText } from '../report/diff/render-diff-text.js';
import type { CliHost } from './cli-host.js';
import { openSource } from './open-source.js';
import { FileSink, ReportOutput } from './report-output.js';
import { UsageError } from './usage-error.js';

export interface DiffFlags {
  format: 'markdown' | 'json' | 'text';
  output?: string;
  timeout: number;
  top: number;
}

/** `dnstrace diff`: both sides read (or analysed) in full, compared, and the diff written. */
export async function runDiff(beforeFile: string, afterFile: string, flags: DiffFlags, host: CliHost): Promise<number> {
  if (beforeFile === '-' && afterFile === '-') throw new UsageError('only one side of a diff can be read from standard input');
  const options: Partial<AnalyzeOptions> = { timeoutMs: flags.timeout };
  const before = await loadReport(await openSource(beforeFile, host), options);
  const after = await loadReport(await openSource(afterFile, host), options);
  const diff = compareReports(before, after);
  const text =
    flags.format === 'json' ? renderDiffJson(diff) : flags.format === 'text' ? renderDiffText(diff, { top: flags.top }) : renderDiffMarkdown(diff, { top: flags.top });
  const output = new ReportOutput(flags.output === undefined ? host.stdout : new FileSink(flags.output));
  output.write(text);
  await output.end();
  for (const w of diff.warnings) host.writeErr(`dnstrace: warning: ${w}\n`);
  return EXIT.ok;
}

import { TempSpool } from '../../src/cli/temp-spool.js';
import type { Source } from '../../src/pipeline.js';
import { type ReportFormat, writeReport } from '../../src/write-report.js';

/**
 * A report as `dnstrace analyze` writes it (the same streamed path, the JSON report's lookups
 * through a temporary file), into a string, with the options of the goldens: --top 20, no
 * colour, 80 columns.
 */
export async function writeReportToString(source: Source, format: ReportFormat): Promise<string> {
  const parts: string[] = [];
  const decoder = new TextDecoder();
  const dest = { write: (c: string | Uint8Array) => void parts.push(typeof c === 'string' ? c : decoder.decode(c, { stream: true })), ready: () => undefined };
  const spool = format === 'json' ? await TempSpool.create() : undefined;
  try {
    await writeReport(source, format, dest, { analyze: {}, render: { top: 20, color: false, width: 80 }, spool });
  } finally {
    spool?.remove();
  }
  return parts.join('') + decoder.decode();
}

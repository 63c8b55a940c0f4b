import type { ReportDiff } from '../../diff/report-diff.js';

/**
 * The whole diff as JSON (schemaVersion 1, kind "dnstrace-diff"); JSON.stringify escapes every
 * control character in capture-derived strings, so the output is safe to paste anywhere.
 */
export function renderDiffJson(diff: ReportDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}

import type { Report } from '../model.js';
import { renderAnomalies, renderCaptureSummary, renderVerdict, renderWarnings, unitOf } from './markdown-capture.js';
import { renderComparison } from './markdown-comparison.js';
import { md } from './markdown-escape.js';
import { renderFindings } from './markdown-findings.js';
import { renderServerLatency, renderTimelines, renderWalkGroups, renderWastedNames } from './markdown-lookups.js';
import { renderResolvers } from './markdown-resolvers.js';

export interface MarkdownOptions {
  /** Rows shown in long tables before "and N more". */
  top: number;
}

/**
 * The incident-review report: verdict first, then the evidence a reviewer needs to trust it.
 * Every capture-derived string goes through md(), code(), fenced() or mermaidText(); output is
 * a pure function of the Report, so the same input gives the same bytes.
 */
export function renderMarkdown(r: Report, opts: MarkdownOptions = { top: 20 }): string {
  const out: string[] = [];
  out.push(`# DNS report: ${r.input.source === '-' ? 'standard input' : md(r.input.source)}`, '', renderVerdict(r), '');
  out.push(...renderWarnings(r));
  out.push(...renderCaptureSummary(r));
  out.push(...renderFindings(r.findings, unitOf(r), opts.top));
  out.push(...renderComparison(r));
  out.push(...renderTimelines(r, opts.top));
  out.push(...renderWalkGroups(r, opts.top));
  out.push(...renderWastedNames(r, opts.top));
  out.push(...renderServerLatency(r, opts.top));
  out.push(...renderResolvers(r.resolvers, opts.top));
  out.push(...renderAnomalies(r, opts.top));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

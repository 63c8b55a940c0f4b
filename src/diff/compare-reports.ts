import type { Report } from '../model.js';
import { compareFindings } from './compare-findings.js';
import { compareLookups } from './compare-lookups.js';
import { pairResolverProfiles } from './pair-resolver-profiles.js';
import type { DiffSide, ReportDiff } from './report-diff.js';
import { compareServers } from './compare-servers.js';
import { summariseSide } from './summarise-side.js';

export interface ComparedReport {
  report: Report;
  readFrom: DiffSide['readFrom'];
}

/**
 * Before and after a fix, side by side. A pure function of two Reports: it reads only the JSON
 * contract in src/model.ts, so a report written by an earlier dnstrace compares like a capture.
 */
export function compareReports(before: ComparedReport, after: ComparedReport): ReportDiff {
  const b = before.report;
  const a = after.report;
  const names = compareLookups(b.lookups, a.lookups);
  return {
    schemaVersion: 1,
    kind: 'dnstrace-diff',
    before: sideOf(before),
    after: sideOf(after),
    totals: { before: summariseSide(b), after: summariseSide(a) },
    names: names.names,
    rewritten: names.rewritten,
    beforeOnly: names.beforeOnly,
    afterOnly: names.afterOnly,
    servers: compareServers(b, a),
    findings: compareFindings(b.findings, a.findings),
    resolvers: pairResolverProfiles(b.resolvers, a.resolvers),
    warnings: [...b.warnings.map((w) => `before: ${w}`), ...a.warnings.map((w) => `after: ${w}`)],
  };
}

function sideOf(side: ComparedReport): DiffSide {
  return { source: side.report.input.source, readFrom: side.readFrom, format: side.report.input.format };
}

import type { Report } from '../model.js';
import { aggregatesOf, anomalyTotal } from './report-aggregates.js';
import { frameList, impactText, linkTypeText, plural, spanText, timestamp } from './format-numbers.js';
import { code, md } from './markdown-escape.js';
import { table } from './markdown-table.js';

/** "frames" for a capture, "lines" for tcpdump text: what evidence numbers count. */
export function unitOf(r: Report): 'frames' | 'lines' {
  return r.input.format === 'text' ? 'lines' : 'frames';
}

/** One sentence a reviewer can quote: the top-ranked finding with what it cost. */
export function renderVerdict(r: Report): string {
  const f = r.findings[0];
  if (!f) {
    return r.summary.lookups === 0
      ? '**Verdict:** no DNS lookups were found.'
      : `**Verdict:** nothing wrong stood out in ${plural(r.summary.lookups, 'lookup')}.`;
  }
  const cost = f.impact.queries > 0 || f.impact.ms > 0 ? ` Cost: ${impactText(f.impact)}.` : '';
  const more = r.findings.length > 1 ? ` (${plural(r.findings.length - 1, 'more finding')} below.)` : '';
  return `**Verdict:** ${md(f.summary)}${cost}${more}`;
}

export function renderWarnings(r: Report): string[] {
  if (r.warnings.length === 0) return [];
  return [...r.warnings.map((w) => `> **Warning:** ${md(w)}`), ''];
}

export function renderCaptureSummary(r: Report): string[] {
  const s = r.summary;
  const fa = s.frameAccounting;
  const unit = unitOf(r);
  const rows: string[][] = [
    ['Source', `${code(r.input.source)} (${r.input.format})`],
    ['Time span', `${timestamp(s.firstTimeUs)} → ${timestamp(s.lastTimeUs)} (${spanText(s.firstTimeUs, s.lastTimeUs)})`],
    [
      unit[0].toUpperCase() + unit.slice(1),
      `${fa.frames} (${fa.dns} DNS, ${fa.notDns} other, ${fa.malformed} malformed, ${fa.truncated} truncated` +
        `${fa.unsupportedLinkType ? `, ${fa.unsupportedLinkType} unsupported link type` : ''}${fa.ipFragmentsPending ? `, ${fa.ipFragmentsPending} IP fragments` : ''})`,
    ],
    ['DNS messages', `${s.dnsMessages} (${plural(s.queries, 'query', 'queries')}, ${plural(s.responses, 'response')})`],
    ['Transactions', `${s.transactions} (${s.unanswered} unanswered)`],
    ['Lookups', `${s.lookups} (${plural(s.wastedQueries, 'wasted query', 'wasted queries')})`],
    ['Clients / servers', r.aggregates ? `${r.aggregates.clients} / ${r.aggregates.servers}` : '–'],
    ['Anomalies', anomalyTotal(r) === 0 ? '0' : `${anomalyTotal(r)} (${aggregatesOf(r).anomalyCounts.map((a) => `${a.count} ${md(a.code)}`).join(', ')})`],
  ];
  if (r.input.linkTypes.length > 0) rows.splice(1, 0, ['Link types', r.input.linkTypes.map(linkTypeText).join(', ')]);
  const icmp = r.icmpUnreachable ?? [];
  if (icmp.length > 0) rows.push(['ICMP unreachable', `${icmp.length} quoting DNS queries (frames ${frameList(icmp.map((i) => i.frame), 8)})`]);
  return ['## Capture', '', table(['', ''], rows), ''];
}

export function renderAnomalies(r: Report, top: number): string[] {
  if (r.anomalies.length === 0) return [];
  const rows = r.anomalies.slice(0, top).map((a) => [a.frame === null ? '–' : String(a.frame), md(a.code), md(a.detail)]);
  const out = ['## Anomalies', '', table([unitOf(r) === 'lines' ? 'Line' : 'Frame', 'Code', 'Detail'], rows)];
  // The JSON report lists up to MAX_LISTED_ANOMALIES of them, and counts every one by code.
  if (anomalyTotal(r) > rows.length) out.push('', `…and ${anomalyTotal(r) - rows.length} more anomalies (see \`--format json\`).`);
  return [...out, ''];
}

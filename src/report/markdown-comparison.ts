import type { Lookup, Report } from '../model.js';
import { ms, plural } from './format-numbers.js';
import { comparisonOf, lookupAt } from './report-aggregates.js';
import { code, fenced } from './markdown-escape.js';
import { table } from './markdown-table.js';
import { renderSequenceDiagram } from './mermaid-sequence.js';

/** A hostname that can go into YAML and a Service manifest as is (RFC 1123 labels). */
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The heart of the product: a search-path walk beside a one-round-trip answer (an ExternalName
 * or autopath hit in the same capture, else the walk's own fully qualified what-if), as a table
 * and a Mermaid sequence diagram, then the changes that would make the walk one round trip.
 */
export function renderComparison(r: Report): string[] {
  const comparison = comparisonOf(r);
  const walk = comparison.walk === null ? undefined : lookupAt(r, comparison.walk);
  const direct = comparison.direct === null ? undefined : lookupAt(r, comparison.direct);
  if (!walk) {
    if (!direct) return [];
    return ['## ExternalName hit', '', ...describeDirect(direct), '', ...renderSequenceDiagram([direct]), ''];
  }
  const cols = [walk, ...(direct ? [direct] : [])];
  const whatIf = direct ? [] : [walk];
  const head = ['', ...cols.map((l) => `${code(l.name)} (${l.kind})`), ...whatIf.map((l) => `${code(`${l.name}.`)} (fully qualified, what-if)`)];
  const rows: string[][] = [
    ['Name as written', ...cols.map((l) => code(l.name)), ...whatIf.map((l) => code(`${l.name}.`))],
    ['Answered as', ...cols.map((l) => (l.answeredName ? code(l.answeredName) : '–')), ...whatIf.map((l) => code(l.name))],
    ['Queries', ...cols.map((l) => String(l.queries)), ...whatIf.map((l) => String(l.fqdnQueries))],
    ['Wasted queries', ...cols.map((l) => String(l.wastedQueries)), ...whatIf.map(() => '0')],
    ['Time to answer', ...cols.map((l) => ms(l.elapsedMs)), ...whatIf.map((l) => ms(l.fqdnMs))],
    ['Answer', ...cols.map(describeAnswer), ...whatIf.map(describeAnswer)],
  ];
  const wastedNames = [...new Set(walk.attempts.filter((a) => a.wasted && a.suffix).map((a) => code(a.name)))];
  const out = ['## Search path versus a direct answer', ''];
  out.push(
    `The lookup of ${code(walk.name)} went through ${wastedNames.join(', ')} (${plural(walk.wastedQueries, 'wasted query', 'wasted queries')}) before ${code(walk.answeredName ?? walk.name)} answered: ` +
      `${plural(walk.queries, 'query', 'queries')} in ${ms(walk.elapsedMs)}. As a fully qualified name (${code(`${walk.name}.`)}) or through an ExternalName Service it would have taken one round trip` +
      `${walk.fqdnMs !== null ? ` (${ms(walk.fqdnMs)} for the final step here)` : ''}.`,
    '',
  );
  if (direct) out.push(...describeDirect(direct), '');
  out.push(table(head, rows), '', ...renderSequenceDiagram(cols), '');
  out.push(...renderWalkRemedies(walk, r));
  return out;
}

function describeDirect(l: Lookup): string[] {
  return [
    `${code(l.name)} was answered on the first search suffix as ${code(l.answeredName ?? l.name)} with a CNAME to ${code(l.cname ?? '')}` +
      `${l.addresses.length ? ` and its ${plural(l.addresses.length, 'address', 'addresses')} (${l.addresses.map(code).join(', ')})` : ''}: ` +
      `${l.kind === 'externalname' ? 'an ExternalName hit' : 'a CoreDNS autopath answer'}, ${plural(l.queries, 'query', 'queries')}, ${ms(l.elapsedMs)}.` +
      (l.kind === 'externalname' ? ` Caveat: HTTP Host and TLS SNI carry ${code(l.name)}, not ${code(l.cname ?? '')}.` : ''),
  ];
}

function describeAnswer(l: Lookup): string {
  const parts = [...(l.cname ? [`CNAME ${code(l.cname)}`] : []), ...l.addresses.map(code)];
  return parts.length ? parts.join(', ') : l.outcome;
}

/** Ready-to-paste changes, only for names that are plain hostnames (nothing hostile reaches YAML). */
function renderWalkRemedies(walk: Lookup, r: Report): string[] {
  if (!HOSTNAME.test(walk.name)) return [];
  const profile = r.resolvers.find((p) => p.client === walk.client);
  const namespace = profile?.namespace && HOSTNAME.test(profile.namespace) ? profile.namespace : null;
  const service = serviceNameFor(walk.name);
  const out = ['**To make it one round trip**, any one of:', ''];
  out.push(`- Write the name fully qualified, with a trailing dot, where the application is configured: ${code(`${walk.name}.`)}`);
  out.push(
    `- Point the application at an ExternalName Service${namespace ? ` in namespace ${code(namespace)}` : ''}, answered on the first search suffix ` +
      `(the application then sends Host and SNI ${code(service)}):`,
    '',
  );
  const manifest = ['apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${service}`, ...(namespace ? [`  namespace: ${namespace}`] : []), 'spec:', '  type: ExternalName', `  externalName: ${walk.name}`];
  out.push(...fenced(manifest.join('\n'), 'yaml').map((l) => `  ${l}`), '');
  // glibc tries a name as written first when it has at least ndots dots (resolv.conf(5)).
  const ndots = Math.max(1, walk.name.split('.').length - 1);
  out.push(`- Lower ndots for the pod to ${ndots}, so that names with ${ndots} or more dots, like this one, are tried as written first (resolv.conf \`options ndots:${ndots}\`):`, '');
  out.push(...fenced(['spec:', '  dnsConfig:', '    options:', '      - name: ndots', `        value: "${ndots}"`].join('\n'), 'yaml').map((l) => `  ${l}`), '');
  return out;
}

/** A Service name (an RFC 1035 label) for an external hostname: dots to dashes, at most 63 characters. */
function serviceNameFor(hostname: string): string {
  const label = hostname.replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(label) ? label : `ext-${label}`.slice(0, 63).replace(/-+$/, '');
}

import type { Lookup } from '../model.js';
import { ms, plural } from './format-numbers.js';

/** Attempts drawn per lookup; a longer walk ends with a note saying how many were left out. */
const MAX_ARROWS = 24;

/**
 * Text for a Mermaid sequence diagram. Mermaid reads `;`, `#`, `:`, `%%`, `<br>` and HTML in
 * message text, and renders on GitHub inside the page, so everything but a small safe set is
 * written as a Mermaid entity code (`#35;`), which it decodes for display only.
 */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text) out += /[A-Za-z0-9 .\-_/(),:?+]/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

/**
 * The search-path comparison as a sequence diagram: each lookup's queries and answers between
 * the application (its resolver) and the DNS server, with milliseconds, one after the other.
 */
export function renderSequenceDiagram(lookups: readonly Lookup[]): string[] {
  const out = ['```mermaid', 'sequenceDiagram', '    participant A as Application (resolver)', '    participant S as DNS server'];
  for (const l of lookups) {
    out.push(`    Note over A,S: ${mermaidText(`${l.name} (${l.kind}): ${plural(l.queries, 'query', 'queries')}, ${ms(l.elapsedMs)}`)}`);
    for (const a of l.attempts.slice(0, MAX_ARROWS)) {
      out.push(`    A->>S: ${mermaidText(`${a.type}? ${a.name}`)}`);
      const answer = a.rcode === null || a.latencyMs === null ? 'no answer' : `${a.rcode} ${ms(a.latencyMs)}`;
      out.push(`    S-->>A: ${mermaidText(`${answer}${a.wasted ? ' (wasted)' : ''}`)}`);
    }
    if (l.attempts.length > MAX_ARROWS) out.push(`    Note over A,S: ${mermaidText(`and ${l.attempts.length - MAX_ARROWS} more attempts`)}`);
  }
  out.push('```');
  return out;
}

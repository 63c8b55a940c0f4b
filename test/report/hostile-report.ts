import type { Report } from '../../src/model.js';

/** What an attacker can put into a name or TXT string, in one piece: every channel at once. */
export const HOSTILE = '|x`y`<script>alert(1)</script>\n| a | b |\r\x1b[31mred\x1b]0;title\x07\u202eevil\ud800**_[l](javascript:z)_**#~$&amp;\\';

/** Fields whose value the renderers switch on (enumerations), left as they are. */
const ENUM_FIELDS = new Set(['kind', 'outcome', 'status', 'transport', 'format', 'record']);

/** A copy of a real report with the hostile string appended to every free-text string in it. */
export function poisonReport(report: Report): Report {
  return poison(report, '') as Report;
}

function poison(value: unknown, key: string): unknown {
  if (typeof value === 'string') return ENUM_FIELDS.has(key) ? value : `${value}${HOSTILE}`;
  if (Array.isArray(value)) return value.map((v) => poison(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k)]));
  }
  return value;
}

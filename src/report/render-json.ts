import type { Report } from '../model.js';

/**
 * The whole report as JSON under the fixed contract (schemaVersion 1); stable key order.
 * Written piece by piece, one array element at a time: a report of millions of transactions is
 * longer than the longest string V8 can build (about 512 MB), so it is never one string.
 * The bytes are exactly those of JSON.stringify(report, null, 2) followed by a newline.
 */
export function writeJson(report: Report, write: (chunk: string) => void): void {
  const entries = Object.entries(report).filter(([, v]) => v !== undefined);
  write('{');
  entries.forEach(([key, value], i) => {
    write(`${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `);
    if (Array.isArray(value) && value.length > 0) {
      write('[');
      value.forEach((element, j) => write(`${j === 0 ? '' : ','}\n    ${indent(JSON.stringify(element ?? null, null, 2), '    ')}`));
      write('\n  ]');
    } else {
      write(indent(JSON.stringify(value, null, 2), '  '));
    }
  });
  write(entries.length > 0 ? '\n}\n' : '}\n');
}

/** The report as one string, for reports that fit in one (tests, diff, small captures). */
export function renderJson(report: Report): string {
  const parts: string[] = [];
  writeJson(report, (c) => parts.push(c));
  return parts.join('');
}

function indent(json: string, by: string): string {
  return json.replace(/\n/g, `\n${by}`);
}

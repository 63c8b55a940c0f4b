import type { Report } from '../model.js';

/** How deep arrays and objects are written member by member; below that, one JSON.stringify each. */
const SPLIT_DEPTH = 3;

/**
 * The whole report as JSON under the fixed contract (schemaVersion 1); stable key order.
 * Written piece by piece, one array element at a time: a report of millions of transactions is
 * longer than the longest string V8 can build (about 512 MB), so it is never one string.
 * The bytes are exactly those of JSON.stringify(report, null, 2) followed by a newline.
 */
export function writeJson(report: Report, write: (chunk: string) => void): void {
  writeValue(report, '', 0, write);
  write('\n');
}

function writeValue(value: unknown, indent: string, depth: number, write: (chunk: string) => void): void {
  if (depth < SPLIT_DEPTH && Array.isArray(value) && value.length > 0) {
    write('[');
    value.forEach((element, i) => {
      write(`${i === 0 ? '' : ','}\n${indent}  `);
      writeValue(element ?? null, `${indent}  `, depth + 1, write);
    });
    write(`\n${indent}]`);
    return;
  }
  if (depth < SPLIT_DEPTH && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length > 0) {
      write('{');
      entries.forEach(([key, v], i) => {
        write(`${i === 0 ? '' : ','}\n${indent}  ${JSON.stringify(key)}: `);
        writeValue(v, `${indent}  `, depth + 1, write);
      });
      write(`\n${indent}}`);
      return;
    }
  }
  write(indentBy(JSON.stringify(value, null, 2), indent));
}

/** The report as one string, for reports that fit in one (tests, diff, small captures). */
export function renderJson(report: Report): string {
  const parts: string[] = [];
  writeJson(report, (c) => parts.push(c));
  return parts.join('');
}

function indentBy(json: string, by: string): string {
  return by === '' ? json : json.replace(/\n/g, `\n${by}`);
}

import type { Report } from '../model.js';

/** The whole report as JSON under the fixed contract (schemaVersion 1); stable key order. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

import type { Anomaly, Diagnostics } from './model.js';

/**
 * Anomalies listed one by one in a report. A capture of a million damaged packets must not keep a
 * million Anomaly objects: past these, anomalies are only counted by code (the report's
 * anomalyCounts), and a warning says how many were not listed. Far more than any table shows.
 */
export const MAX_LISTED_ANOMALIES = 1000;

/**
 * What the stages report about the input, collected for the Report in bounded memory: the first
 * MAX_LISTED_ANOMALIES anomalies, every anomaly counted by code, and the warnings.
 */
export class DiagnosticsLog implements Diagnostics {
  readonly anomalies: Anomaly[] = [];
  /** Every anomaly by code, listed or not, in order of first appearance. */
  readonly anomalyCounts = new Map<string, number>();
  readonly warnings: string[] = [];
  private unlisted = 0;

  anomaly(a: Anomaly): void {
    this.anomalyCounts.set(a.code, (this.anomalyCounts.get(a.code) ?? 0) + 1);
    if (this.anomalies.length < MAX_LISTED_ANOMALIES) this.anomalies.push(a);
    else this.unlisted++;
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** The input ended: says what was left out of the list. */
  finish(): void {
    if (this.unlisted > 0) {
      this.warn(`${this.unlisted} more anomalies were counted but not listed: the report lists the first ${MAX_LISTED_ANOMALIES} (every one is counted by code)`);
    }
  }
}

import { InvalidArgumentError } from 'commander';
import { FINDING_KINDS } from '../analyze/findings/finding-kinds.js';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/** --search: domains comma- or space-separated, trailing dots dropped. */
export function splitList(value: string): string[] {
  const list = value.split(/[\s,]+/).map((s) => s.replace(/\.$/, '').toLowerCase()).filter((s) => s !== '');
  if (list.length === 0) throw new InvalidArgumentError('give at least one domain');
  return list;
}

/** --port N, repeatable: each use adds one port. */
export function collectPort(value: string, previous: number[]): number[] {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number from 1 to 65535');
  return [...previous, n];
}

/** --fail-on KINDS, comma-separated and repeatable; "any" means every kind. */
export function collectFindingKinds(value: string, previous: string[]): string[] {
  const known = new Set(['any', ...Object.keys(FINDING_KINDS)]);
  const kinds = value.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const unknown = kinds.filter((k) => !known.has(k));
  if (unknown.length > 0 || kinds.length === 0) throw new InvalidArgumentError(`unknown finding kind ${unknown.join(', ') || '""'}; known: ${[...known].join(', ')}`);
  return [...previous, ...kinds];
}

import type { Transaction } from '../model.js';

/**
 * The transaction of one attempt of a lookup, by its query frame and type (one TCP segment may
 * carry a lookup's A and AAAA queries); undefined when the analysis has none. The lookup builder
 * answers from the lookup's own steps, the whole-list feed from a map: no stream has to wait for
 * the other to meet a lookup with its transactions.
 */
export type AttemptTransaction = (queryFrame: number, type: string) => Transaction | undefined;

/** Key of a transaction in a map by query frame and type. */
export function attemptKey(queryFrame: number, type: string | null): string {
  return `${queryFrame} ${type ?? ''}`;
}

/** Types of mutate.mjs for the TypeScript tests that share its mutations. */
export declare function seededRandom(seed: number): () => number;
export declare const MUTATIONS: readonly string[];
export declare function mutate(bytes: Uint8Array, rnd: () => number, other?: Uint8Array): { bytes: Uint8Array; applied: string[] };

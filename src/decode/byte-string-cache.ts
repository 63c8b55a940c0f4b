/**
 * A direct-mapped cache from short byte strings (a name's labels, an IPv6 address and port) to
 * the text made from them. The same few hundred names and endpoints fill a node's capture, so
 * almost every lookup hits and no string is built; a miss just overwrites its slot, so memory
 * stays fixed whatever the capture's size (the decode stage must not grow with the input,
 * DESIGN.md "Streaming"). The caller hashes while it copies the key into `key`.
 */
export class ByteStringCache {
  /** Where the caller writes the key before `get`/`set`; keys are at most 256 bytes. */
  readonly key = new Uint8Array(256);
  private readonly keys: (Uint8Array | undefined)[];
  private readonly texts: string[];
  private readonly mask: number;

  constructor(slots: number) {
    // A power of two, so that a slot is one AND away from the hash.
    this.mask = slots - 1;
    this.keys = new Array<Uint8Array | undefined>(slots).fill(undefined);
    this.texts = new Array<string>(slots).fill('');
  }

  /** The text cached for key[0, length) with this hash, or undefined. */
  get(hash: number, length: number): string | undefined {
    const slot = hash & this.mask;
    const k = this.keys[slot];
    if (k === undefined || k.length !== length) return undefined;
    const key = this.key;
    for (let i = 0; i < length; i++) if (k[i] !== key[i]) return undefined;
    return this.texts[slot];
  }

  set(hash: number, length: number, text: string): void {
    const slot = hash & this.mask;
    this.keys[slot] = this.key.slice(0, length);
    this.texts[slot] = text;
  }
}

/** FNV-1a, one byte at a time (the caller folds bytes in as it copies them). */
export const FNV_OFFSET = 0x811c9dc5;
export function hashByte(h: number, b: number): number {
  return Math.imul(h ^ b, 0x01000193);
}

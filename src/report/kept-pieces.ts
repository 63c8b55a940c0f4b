import type { JsonPiece } from './json-bytes.js';

/**
 * Bytes of text one KeptPieces holds (each piece twice: as bytes and as words). A node's pods ask
 * a few hundred names of one or two servers, a few hundred kilobytes of pieces; a capture of
 * ever new names gains nothing from them, so past this all are forgotten at once, and a crafted
 * capture of long names costs no more memory than this.
 */
export const MAX_KEPT_BYTES = 2 << 20;

/**
 * Pieces kept for one name (the servers, types, rcodes and suffixes it was asked with): each is
 * looked for among those kept, and a crafted capture may ask one name with thousands of types.
 * Past this, a name's other variants are written as they come.
 */
export const MAX_KEPT_VARIANTS = 16;

/**
 * The text of a run of a record's members that recur together, written once and then copied
 * whole: kept by the name the run holds, each with what else it was written from, for the
 * writer to tell the name's variants apart.
 */
export class KeptPieces<Variant extends { readonly text: JsonPiece }> {
  private readonly byName = new Map<string | null, Variant[]>();
  private bytes = 0;

  /** The variants kept for `name`, to look through (and to give `keep`). */
  of(name: string | null): readonly Variant[] {
    let list = this.byName.get(name);
    if (list === undefined) this.byName.set(name, (list = []));
    return list;
  }

  /** Whether `name`'s list (from `of`) has room for another variant. */
  hasRoom(list: readonly Variant[]): boolean {
    return list.length < MAX_KEPT_VARIANTS;
  }

  /** Keeps a variant of `name` whose list (from `of`) has room. */
  keep(name: string | null, list: readonly Variant[], v: Variant): void {
    this.bytes += 2 * v.text.length;
    if (this.bytes > MAX_KEPT_BYTES) {
      this.byName.clear();
      this.bytes = 2 * v.text.length;
      this.byName.set(name, [v]);
      return;
    }
    (list as Variant[]).push(v);
  }
}

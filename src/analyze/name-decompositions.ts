import { firstLabel } from './lookup-index.js';
import { BARE } from './open-lookup.js';

/** `name` read as `base` plus the search suffix at `pos` (BARE: the name as written). */
export interface Candidate {
  base: string;
  pos: number;
}

export interface Decomposition {
  /** Every way to read the name as base + search suffix, in list order, then the name as written. */
  cands: readonly Candidate[];
  /** The reading a new lookup takes: with the first suffix when it carries it, else as written. */
  first: Candidate;
  firstLabel: string;
}

/** Past these, a cache is forgotten and filled again. */
const MAX_LISTS = 256;
const MAX_NAMES_PER_LIST = 1 << 14;

/**
 * Decompositions of query names, remembered per search list and name. A client's search list is
 * one array until it changes, shared by clients with the same list (ResolverProfileInferrer), and
 * names are interned by the decoder: the same query name from any pod of a namespace costs one map
 * look-up instead of a test and a slice per suffix, and gives the same base strings every time.
 */
export class NameDecompositions {
  private readonly byList = new Map<readonly string[], Map<string, Decomposition>>();

  of(name: string, search: readonly string[]): Decomposition {
    let byName = this.byList.get(search);
    if (byName === undefined) {
      if (this.byList.size >= MAX_LISTS) this.byList.clear();
      this.byList.set(search, (byName = new Map()));
    }
    let d = byName.get(name);
    if (d === undefined) {
      if (byName.size >= MAX_NAMES_PER_LIST) byName.clear();
      byName.set(name, (d = decompose(name, search)));
    }
    return d;
  }
}

function decompose(name: string, search: readonly string[]): Decomposition {
  const cands: Candidate[] = [];
  for (let i = 0; i < search.length; i++) {
    const s = search[i];
    const cut = name.length - s.length - 1;
    if (cut > 0 && name.charCodeAt(cut) === 46 && name.endsWith(s)) cands.push({ base: name.slice(0, cut), pos: i });
  }
  const bare = { base: name, pos: BARE };
  cands.push(bare);
  // A copy of exactly its length: the pushes gave the list 16 slots, and every name keeps one.
  return { cands: cands.slice(), first: cands[0].pos === 0 ? cands[0] : bare, firstLabel: firstLabel(name) };
}

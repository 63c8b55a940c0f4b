/**
 * Mutations of real inputs, shared by the mutation test (test/robustness/) and the fuzzing
 * campaign (run-fuzz.mjs). Each mutation is what happens to captures in real incidents or what
 * a parser's length checks most often get wrong: bit rot, a file cut short, two files glued
 * together, a length field set to 0 or all ones, a compression-pointer byte in a label.
 */

/** Values that break length and pointer arithmetic most often. */
const INTERESTING_BYTES = [0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xff];
const INTERESTING_WORDS = [0x0000, 0x0001, 0x00ff, 0x7fff, 0x8000, 0xc00c, 0xffff];
const INTERESTING_LONGS = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x40000];

/** A deterministic PRNG (mulberry32): the same seed gives the same mutants on every machine. */
export function seededRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rnd, n) => Math.floor(rnd() * n);

function flipBits(b, rnd) {
  const out = b.slice();
  const n = 1 + pick(rnd, 8);
  for (let i = 0; i < n && out.length > 0; i++) out[pick(rnd, out.length)] ^= 1 << pick(rnd, 8);
  return out;
}

function setInteresting(b, rnd) {
  const out = b.slice();
  if (out.length === 0) return out;
  const width = [1, 2, 4][pick(rnd, 3)];
  const at = pick(rnd, Math.max(1, out.length - width + 1));
  const little = rnd() < 0.5;
  if (width === 1) out[at] = INTERESTING_BYTES[pick(rnd, INTERESTING_BYTES.length)];
  else {
    const v = width === 2 ? INTERESTING_WORDS[pick(rnd, INTERESTING_WORDS.length)] : INTERESTING_LONGS[pick(rnd, INTERESTING_LONGS.length)];
    for (let i = 0; i < width && at + i < out.length; i++) {
      const shift = 8 * (little ? i : width - 1 - i);
      out[at + i] = (v >>> shift) & 0xff;
    }
  }
  return out;
}

function truncate(b, rnd) {
  return b.slice(0, pick(rnd, b.length + 1));
}

function splice(b, rnd, other) {
  const cut = pick(rnd, b.length + 1);
  const from = pick(rnd, other.length + 1);
  const out = new Uint8Array(cut + other.length - from);
  out.set(b.subarray(0, cut), 0);
  out.set(other.subarray(from), cut);
  return out;
}

function duplicateRange(b, rnd) {
  if (b.length === 0) return b.slice();
  const start = pick(rnd, b.length);
  const len = 1 + pick(rnd, Math.min(512, b.length - start));
  const at = pick(rnd, b.length + 1);
  const out = new Uint8Array(b.length + len);
  out.set(b.subarray(0, at), 0);
  out.set(b.subarray(start, start + len), at);
  out.set(b.subarray(at), at + len);
  return out;
}

function deleteRange(b, rnd) {
  if (b.length === 0) return b.slice();
  const start = pick(rnd, b.length);
  const len = 1 + pick(rnd, Math.min(512, b.length - start));
  const out = new Uint8Array(b.length - len);
  out.set(b.subarray(0, start), 0);
  out.set(b.subarray(start + len), start);
  return out;
}

export const MUTATIONS = ['flip-bits', 'set-interesting', 'truncate', 'splice', 'duplicate-range', 'delete-range'];

/**
 * Applies one to four mutations to `bytes` (never modified), splicing with `other` when that
 * mutation is drawn. Returns the mutant and the names of the mutations applied.
 */
export function mutate(bytes, rnd, other = bytes) {
  let b = bytes;
  const applied = [];
  const n = 1 + pick(rnd, 4);
  for (let i = 0; i < n; i++) {
    const m = MUTATIONS[pick(rnd, MUTATIONS.length)];
    applied.push(m);
    switch (m) {
      case 'flip-bits': b = flipBits(b, rnd); break;
      case 'set-interesting': b = setInteresting(b, rnd); break;
      // Keep the file's first bytes often enough that the reader behind the magic is exercised.
      case 'truncate': b = truncate(b, rnd); break;
      case 'splice': b = splice(b, rnd, other); break;
      case 'duplicate-range': b = duplicateRange(b, rnd); break;
      case 'delete-range': b = deleteRange(b, rnd); break;
    }
  }
  return { bytes: b, applied };
}

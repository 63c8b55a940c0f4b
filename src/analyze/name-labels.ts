// Names compared label by label, as the resolver builds them from a base and a suffix.

/** `name` is `prefix` followed by one or more labels: `x.s1` extends `x`. */
export function isLabelExtension(name: string, prefix: string): boolean {
  return name.length > prefix.length && name.charCodeAt(prefix.length) === 46 && name.startsWith(prefix);
}

/** Label-wise common beginning of two names ("x.a.com", "x.b.com" → "x"); null when none. */
export function commonLabelPrefix(a: string, b: string): string | null {
  const la = a.split('.');
  const lb = b.split('.');
  let n = 0;
  while (n < la.length && n < lb.length && la[n] === lb[n]) n++;
  return n === 0 ? null : la.slice(0, n).join('.');
}

/** Dots in `name`: what ndots is compared with. */
export function countDots(name: string): number {
  let n = 0;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 46) n++;
  return n;
}

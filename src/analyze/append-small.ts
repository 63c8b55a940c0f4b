/**
 * `list` with `x` appended, for lists that are usually a few items long and kept a while (a
 * lookup's steps, a step's transactions, a lookup's attempts). V8 grows a full array by half its
 * length plus 16 slots: `[a].push(b)` makes a 17-slot backing store (152 bytes) where a literal
 * `[a, b]` takes 2. Up to four items the list is copied into an exact literal instead (a new
 * array: callers assign the result); past that it grows in place.
 */
export function appendSmall<T>(list: T[], x: T): T[] {
  switch (list.length) {
    case 0:
      return [x];
    case 1:
      return [list[0], x];
    case 2:
      return [list[0], list[1], x];
    case 3:
      return [list[0], list[1], list[2], x];
    default:
      list.push(x);
      return list;
  }
}

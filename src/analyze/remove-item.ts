/**
 * Removes the first `x` from `list`, keeping the order of the rest; false when it is not there.
 * Unlike `splice`, it allocates nothing: the analysis removes an entry for every transaction.
 */
export function removeItem<T>(list: T[], x: T): boolean {
  const i = list.indexOf(x);
  if (i < 0) return false;
  for (let j = i + 1; j < list.length; j++) list[j - 1] = list[j];
  list.pop();
  return true;
}

/**
 * One string object per host, so that the maps the analysis keys by host compare keys by
 * identity and hash each host once. Bounded: forgotten wholesale when full (a new object per host
 * afterwards, which only costs a hash).
 */
const hostByName = new Map<string, string>();
const MAX_HOSTS = 1 << 14;

/**
 * "10.0.0.1:53" → "10.0.0.1"; "[::1]:53" → "::1"; "pod-a.ns.svc:41000" → "pod-a.ns.svc". For
 * endpoints known only as text (tcpdump text with resolved names, a JSON report read back): the
 * capture decoder knows each endpoint's host as it makes it and never asks.
 */
export function hostOf(endpoint: string): string {
  const n = endpoint.length;
  let start = 0;
  let end = n;
  if (n > 0 && endpoint.charCodeAt(0) === 91) {
    // "[host]:port": the host runs to the first "]" (without one, as slice(1, -1) would cut it).
    start = 1;
    end = endpoint.indexOf(']');
    if (end < 0) end = Math.max(n - 1, 1);
  } else {
    const colon = endpoint.lastIndexOf(':');
    if (colon >= 0) end = colon;
  }
  const sliced = endpoint.slice(start, end);
  const host = hostByName.get(sliced);
  if (host !== undefined) return host;
  if (hostByName.size >= MAX_HOSTS) hostByName.clear();
  hostByName.set(sliced, sliced);
  return sliced;
}

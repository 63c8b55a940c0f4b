/**
 * One string object per host, so that the maps the analysis keys by host compare keys by
 * identity and hash each host once. Bounded: forgotten wholesale when full (a new object per host
 * afterwards, which only costs a hash).
 */
const hostByName = new Map<string, string>();
const MAX_HOSTS = 1 << 14;

/**
 * The last two answers: for each query the pairer, the resolver profiles and the lookups ask in
 * turn about the same client endpoint (the decoder hands out one string object per endpoint, so
 * the comparison is mostly by identity).
 */
let lastEndpoint = '';
let lastHost = '';
let previousEndpoint = '';
let previousHost = '';

/** "10.0.0.1:53" → "10.0.0.1"; "[::1]:53" → "::1". */
export function hostOf(endpoint: string): string {
  if (endpoint === lastEndpoint) return lastHost;
  if (endpoint === previousEndpoint) return previousHost;
  // A new socket of a recent host (glibc opens one per lookup: a new endpoint every few
  // messages): no slice to allocate and hash.
  let host = hasHost(endpoint, lastHost) ? lastHost : hasHost(endpoint, previousHost) ? previousHost : undefined;
  if (host === undefined) {
    const sliced = sliceHost(endpoint);
    host = hostByName.get(sliced);
    if (host === undefined) {
      if (hostByName.size >= MAX_HOSTS) hostByName.clear();
      hostByName.set(sliced, sliced);
      host = sliced;
    }
  }
  previousEndpoint = lastEndpoint;
  previousHost = lastHost;
  lastEndpoint = endpoint;
  lastHost = host;
  return host;
}

/** Whether sliceHost(endpoint) would be `host` (a host seen before, so never ""). */
function hasHost(endpoint: string, host: string): boolean {
  const n = host.length;
  if (n === 0) return false;
  // "[host]:port": the host runs to the first "]".
  if (endpoint.charCodeAt(0) === 91) return endpoint.indexOf(']') === n + 1 && endpoint.startsWith(host, 1);
  // "host:port": the host runs to the last ":".
  return endpoint.charCodeAt(n) === 58 && endpoint.lastIndexOf(':') === n && endpoint.startsWith(host);
}

function sliceHost(endpoint: string): string {
  if (endpoint.startsWith('[')) return endpoint.slice(1, endpoint.indexOf(']'));
  const colon = endpoint.lastIndexOf(':');
  return colon < 0 ? endpoint : endpoint.slice(0, colon);
}

import { madeEndpoint } from '../endpoint-host.js';

/**
 * One string object per host, so that the maps the analysis keys by host compare keys by
 * identity and hash each host once. Bounded: forgotten wholesale when full (a new object per host
 * afterwards, which only costs a hash).
 */
const hostByName = new Map<string, string>();
const MAX_HOSTS = 1 << 14;

/**
 * Hosts by a hash of their text, checked against the endpoint before use: a new endpoint of a
 * known host (glibc opens a socket per lookup, a new endpoint every few messages) finds its host
 * here by reading its characters, with no slice to allocate and no map to hash it into. A power
 * of two; a collision only costs the map look-up.
 */
const HOST_SLOTS = 1024;
const hostSlots: string[] = new Array<string>(HOST_SLOTS).fill('');
const HASHED_CHARS = 4;

/**
 * The last two answers: for each query the pairer, the resolver profiles and the lookups ask in
 * turn about the same client endpoint and the server's (the decoder hands out one string object
 * per endpoint, so the comparison is mostly by identity).
 */
let lastEndpoint = '';
let lastHost = '';
let previousEndpoint = '';
let previousHost = '';

/** "10.0.0.1:53" → "10.0.0.1"; "[::1]:53" → "::1". */
export function hostOf(endpoint: string): string {
  // The endpoint just made first: comparing two strings that are not the same object reads them.
  if (endpoint === madeEndpoint.text) return madeEndpoint.host;
  if (endpoint === lastEndpoint) return lastHost;
  const host = endpoint === previousEndpoint ? previousHost : findHost(endpoint);
  previousEndpoint = lastEndpoint;
  previousHost = lastHost;
  lastEndpoint = endpoint;
  lastHost = host;
  return host;
}

function findHost(endpoint: string): string {
  const n = endpoint.length;
  let start = 0;
  let end = n;
  if (n > 0 && endpoint.charCodeAt(0) === 91) {
    // "[host]:port": the host runs to the first "]" (without one, as slice(1, -1) would cut it).
    start = 1;
    end = endpoint.indexOf(']');
    if (end < 0) end = Math.max(n - 1, 1);
  } else {
    // "host:port": the host runs to the last ":". Read from the end: the port is a few digits.
    for (let i = n - 1; i >= 0; i--) {
      if (endpoint.charCodeAt(i) === 58) {
        end = i;
        break;
      }
    }
  }
  // Hashed by length and last characters, where the hosts of one subnet differ: reading a
  // character costs more than comparing a whole string (startsWith, below).
  let h = end - start;
  for (let i = Math.max(start, end - HASHED_CHARS); i < end; i++) h = Math.imul(h ^ endpoint.charCodeAt(i), 0x01000193);
  const slot = (h ^ (h >>> 15)) & (HOST_SLOTS - 1);
  const cached = hostSlots[slot];
  if (cached.length === end - start && endpoint.startsWith(cached, start)) return cached;
  const sliced = endpoint.slice(start, end);
  let host = hostByName.get(sliced);
  if (host === undefined) {
    if (hostByName.size >= MAX_HOSTS) {
      hostByName.clear();
      hostSlots.fill('');
    }
    hostByName.set(sliced, sliced);
    host = sliced;
  }
  hostSlots[slot] = host;
  return host;
}

/**
 * The endpoint string a decoder made last and its host: the analysis asks for the host of each
 * query's client endpoint right after the decoder made it (glibc opens a socket per lookup, so a
 * new endpoint every few messages), and finds it here by identity instead of reading the string.
 * Any string equal to `text` has this host, so a stale pair is never wrong, only unused.
 */
export const madeEndpoint = { text: '', host: '' };

/** Records that `text` is an endpoint of `host`, just made. */
export function rememberEndpointHost(text: string, host: string): void {
  madeEndpoint.text = text;
  madeEndpoint.host = host;
}

import { formatEndpoint } from './addresses.js';

/** Endpoints kept at once; a capture with more distinct ones starts over (memory stays flat). */
const MAX_ENDPOINTS = 65_536;

/**
 * "addr:port" strings, built once per endpoint instead of once per packet: a client's socket
 * sends its A and AAAA queries and gets both answers on one port, and the server's side is one
 * string for the whole capture.
 */
export class EndpointCache {
  private readonly byAddress = new Map<string, Map<number, string>>();
  private size = 0;

  get(address: string, port: number): string {
    let ports = this.byAddress.get(address);
    if (ports === undefined) {
      ports = new Map();
      this.byAddress.set(address, ports);
    }
    let text = ports.get(port);
    if (text === undefined) {
      if (++this.size > MAX_ENDPOINTS) {
        this.byAddress.clear();
        this.size = 1;
        this.byAddress.set(address, ports);
        ports.clear();
      }
      text = formatEndpoint(address, port);
      ports.set(port, text);
    }
    return text;
  }
}

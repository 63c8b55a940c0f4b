/** The ports DNS is read on: two lookups per line, so a table rather than a Set. */
export class DnsPorts {
  private readonly table = new Uint8Array(65536);
  /** Ports past 65535 (a text can print five digits of anything). */
  private readonly others: Set<number>;

  constructor(ports: readonly number[]) {
    for (const port of ports) if (Number.isInteger(port) && port >= 0 && port <= 65535) this.table[port] = 1;
    this.others = new Set(ports);
  }

  /** null or -1: tcpdump printed a service name dnstrace does not know. */
  has(port: number | null): boolean {
    if (port === null || port < 0) return false;
    return port <= 65535 ? this.table[port] === 1 : this.others.has(port);
  }
}

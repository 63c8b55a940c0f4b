/**
 * Total code tables: every number has a name, an unknown one a stable synthetic name
 * (RFC 3597 style "TYPE65534", "CLASS9", "RCODE24", "OPCODE7").
 */

const TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 10: 'NULL', 11: 'WKS', 12: 'PTR', 13: 'HINFO',
  15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 24: 'SIG', 25: 'KEY', 28: 'AAAA', 29: 'LOC',
  33: 'SRV', 35: 'NAPTR', 36: 'KX', 37: 'CERT', 39: 'DNAME', 41: 'OPT', 42: 'APL', 43: 'DS',
  44: 'SSHFP', 45: 'IPSECKEY', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID',
  50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 59: 'CDS', 60: 'CDNSKEY',
  61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF',
  108: 'EUI48', 109: 'EUI64', 249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR',
  253: 'MAILB', 254: 'MAILA', 255: 'ANY', 256: 'URI', 257: 'CAA', 32768: 'TA', 32769: 'DLV',
};

const TYPE_NUMBERS: Record<string, number> = Object.fromEntries(
  Object.entries(TYPES).map(([n, name]) => [name, Number(n)]),
);

export function typeName(n: number): string {
  return TYPES[n] ?? `TYPE${n}`;
}

export function typeNumber(name: string): number | null {
  const known = TYPE_NUMBERS[name.toUpperCase()];
  if (known !== undefined) return known;
  const m = /^TYPE(\d+)$/i.exec(name);
  return m ? Number(m[1]) : null;
}

export function className(n: number): string {
  switch (n) {
    case 1: return 'IN';
    case 3: return 'CH';
    case 4: return 'HS';
    case 254: return 'NONE';
    case 255: return 'ANY';
    default: return `CLASS${n}`;
  }
}

/** RCODEs 0-23 (RFC 1035, 2136, 6891, 2845, 2930, 7873); 16 is BADVERS when it comes from OPT. */
const RCODES = [
  'NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET',
  'NXRRSET', 'NOTAUTH', 'NOTZONE', 'DSOTYPENI', 'RCODE12', 'RCODE13', 'RCODE14', 'RCODE15',
  'BADVERS', 'BADKEY', 'BADTIME', 'BADMODE', 'BADNAME', 'BADALG', 'BADTRUNC', 'BADCOOKIE',
];

export function rcodeName(n: number): string {
  return RCODES[n] ?? `RCODE${n}`;
}

const OPCODES = ['QUERY', 'IQUERY', 'STATUS', 'OPCODE3', 'NOTIFY', 'UPDATE', 'DSO'];

export function opcodeName(n: number): string {
  return OPCODES[n] ?? `OPCODE${n}`;
}

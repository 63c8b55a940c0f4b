/**
 * A hand-built classic pcap (LINKTYPE_RAW, IPv4/UDP) whose DNS names and TXT data are hostile:
 * table pipes, backticks, HTML, newlines, ANSI escapes and bytes that are not UTF-8. The DNS
 * wire format allows any byte in a label (RFC 2181 §11), so an attacker who controls a zone or
 * a query can put these into a capture.
 */
const enc = new TextEncoder();

/** Hostile label bytes: the first is a complete attack string, the rest exercise each channel. */
export const HOSTILE_LABELS: Uint8Array[] = [
  enc.encode('a|b`c<script>x</script>'),
  Uint8Array.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x0a, 0x0d, 0xff, 0xfe, 0xc3]),
  enc.encode('**_[x](javascript:y)_**#~$'),
];

/** The TXT string a hostile server answers with. */
export const HOSTILE_TXT = Uint8Array.from([...enc.encode('v=<img src=x onerror=alert(1)>|`'), 0x1b, 0x5d, 0x32, 0x3b, 0x07, 0x0a, 0xff]);

function name(labels: readonly Uint8Array[]): number[] {
  return [...labels.flatMap((l) => [l.length, ...l]), 0];
}

function dnsMessage(id: number, response: boolean, qname: number[], qtype: number, rcode: number, answers: number[][]): number[] {
  const flags = response ? 0x8400 | rcode : 0x0100;
  return [id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, 1, 0, answers.length, 0, 0, 0, 0, ...qname, 0, qtype, 0, 1, ...answers.flat()];
}

function record(owner: number[], type: number, rdata: number[]): number[] {
  return [...owner, 0, type, 0, 1, 0, 0, 0, 30, rdata.length >> 8, rdata.length & 0xff, ...rdata];
}

function ipv4Udp(src: number[], dst: number[], sport: number, dport: number, payload: number[]): number[] {
  const udpLen = 8 + payload.length;
  const total = 20 + udpLen;
  return [0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, 17, 0, 0, ...src, ...dst, sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, udpLen >> 8, udpLen & 0xff, 0, 0, ...payload];
}

function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

/**
 * A pod (10.1.0.5, search test.svc.cluster.local …) looks up the hostile name: NXDOMAIN on the
 * first suffix, then the name as written answers with an A record and a hostile TXT record.
 */
export function buildHostileCapture(): Uint8Array {
  const client = [10, 1, 0, 5];
  const server = [10, 96, 0, 10];
  // A search list of one suffix, so the name as written right after it is the same lookup (with
  // a pod's three-suffix list, glibc would try svc.cluster.local next).
  const suffix = ['corp', 'example'].map((s) => enc.encode(s));
  const walked = name([...HOSTILE_LABELS, ...suffix]);
  const bare = name(HOSTILE_LABELS);
  const packets: [number, number[]][] = [
    [0, ipv4Udp(client, server, 40001, 53, dnsMessage(0x1111, false, walked, 1, 0, []))],
    [900, ipv4Udp(server, client, 53, 40001, dnsMessage(0x1111, true, walked, 1, 3, []))],
    [1200, ipv4Udp(client, server, 40002, 53, dnsMessage(0x2222, false, bare, 1, 0, []))],
    [
      1500,
      ipv4Udp(server, client, 53, 40002, dnsMessage(0x2222, true, bare, 1, 0, [record(bare, 1, [192, 0, 2, 7]), record(bare, 16, [HOSTILE_TXT.length, ...HOSTILE_TXT])])),
    ],
  ];
  const out: number[] = [...u32le(0xa1b2c3d4), 2, 0, 4, 0, ...u32le(0), ...u32le(0), ...u32le(65535), ...u32le(101)];
  const baseSec = 1_700_000_000;
  for (const [offsetUs, bytes] of packets) {
    out.push(...u32le(baseSec), ...u32le(offsetUs), ...u32le(bytes.length), ...u32le(bytes.length), ...bytes);
  }
  return Uint8Array.from(out);
}

#!/usr/bin/env node
// The least a JavaScript pass over a capture costs here: how close to 1,000,000 DNS messages a
// second end to end (issue 7) any analysis written in JavaScript could come on this machine. One
// loop, no objects per packet, every table a typed array; it does a small part of what dnstrace
// does, as cheaply as it can be done:
//   - reads the file in 1 MiB chunks into one buffer (a record cut by a chunk's end is moved to
//     the front and completed by the next read);
//   - parses the pcap record, Ethernet, IPv4 and UDP headers and the DNS header (classic
//     little-endian pcap with Ethernet only, as the benchmark's capture is; IPv6, VLAN, TCP and
//     other link types are skipped and counted);
//   - interns the question's name by a hash of its label bytes (a collision counts as the same
//     name: dnstrace compares the bytes);
//   - pairs queries and responses by client address, port and DNS id in an open-addressed table,
//     and puts each latency in a log-scale histogram;
//   - groups each client's queries into walks by the name's first label (a new walk after a
//     second of quiet, or when the walk's first name comes again after another), and counts
//     NXDOMAIN answers.
// Not done, and all of it in dnstrace: names as text, endpoints as text, answers and their
// records, retries, copies and NAT, TCP, ICMP, search lists and ndots, A and AAAA modes, the
// open-state bounds, findings, tables, a report. Prints the time from the process's start (so
// Node's own start is in it), CPU and the rate. Usage: node scripts/profile/core-loop-floor.mjs CAPTURE
import { closeSync, openSync, readSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: core-loop-floor.mjs CAPTURE (classic pcap, Ethernet)\n');
  process.exit(2);
}

const CHUNK = 1 << 20;
const buf = Buffer.allocUnsafe(CHUNK + 262_144 + 16);
const fd = openSync(file, 'r');
let have = readSync(fd, buf, 0, CHUNK, null);
if (have < 24 || buf.readUInt32LE(0) !== 0xa1b2c3d4 || buf.readUInt32LE(20) !== 1) {
  process.stderr.write('core-loop-floor.mjs: not a little-endian microsecond pcap of Ethernet frames\n');
  process.exit(2);
}

// Open queries: key (client address, port, id) → query time, open-addressed, tombstones on removal.
const OPEN_SLOTS = 1 << 18;
const openAddr = new Uint32Array(OPEN_SLOTS);
const openPortId = new Int32Array(OPEN_SLOTS).fill(-1);
const openTime = new Float64Array(OPEN_SLOTS);
const TOMB = -2;
// Names: hash → id. Walks: (client, first-label hash) → last query time.
const NAME_SLOTS = 1 << 16;
const nameHash = new Uint32Array(NAME_SLOTS);
const nameUsed = new Uint8Array(NAME_SLOTS);
const WALK_SLOTS = 1 << 16;
const walkKey = new Float64Array(WALK_SLOTS).fill(-1);
const walkLast = new Float64Array(WALK_SLOTS);
const walkFirstName = new Uint32Array(WALK_SLOTS);
const walkLastName = new Uint32Array(WALK_SLOTS);
const histogram = new Uint32Array(64);
let messages = 0, queries = 0, answered = 0, unsolicited = 0, nxdomain = 0, walks = 0, names = 0, skipped = 0;

let at = 24;
for (;;) {
  while (at + 16 <= have) {
    const caplen = buf.readUInt32LE(at + 8);
    const end = at + 16 + caplen;
    if (end > have) break;
    const timeUs = buf.readUInt32LE(at) * 1e6 + buf.readUInt32LE(at + 4);
    const p = at + 16;
    at = end;
    // Ethernet → IPv4 → UDP → DNS.
    if (caplen < 14 + 20 + 8 + 12 || buf[p + 12] !== 0x08 || buf[p + 13] !== 0x00 || buf[p + 23] !== 17) {
      skipped++;
      continue;
    }
    const ihl = (buf[p + 14] & 15) * 4;
    const src = buf.readUInt32BE(p + 26);
    const dst = buf.readUInt32BE(p + 30);
    const u = p + 14 + ihl;
    const sport = (buf[u] << 8) | buf[u + 1];
    const dport = (buf[u + 2] << 8) | buf[u + 3];
    const d = u + 8;
    if (sport !== 53 && dport !== 53) {
      skipped++;
      continue;
    }
    messages++;
    const id = (buf[d] << 8) | buf[d + 1];
    const isResponse = (buf[d + 2] & 0x80) !== 0;
    const rcode = buf[d + 3] & 15;
    // The question's name: FNV-1a over its label bytes, and of its first label alone.
    let h = 0x811c9dc5;
    let first = 0;
    let q = d + 12;
    for (let len = buf[q]; len !== 0 && len < 64 && q < end; len = buf[q]) {
      for (let i = q + 1; i <= q + len; i++) h = Math.imul(h ^ buf[i], 16777619);
      if (first === 0) first = h >>> 0;
      q += len + 1;
    }
    h >>>= 0;
    let s = h & (NAME_SLOTS - 1);
    while (nameUsed[s] === 1 && nameHash[s] !== h) s = (s + 1) & (NAME_SLOTS - 1);
    if (nameUsed[s] === 0) {
      nameUsed[s] = 1;
      nameHash[s] = h;
      names++;
    }
    const client = isResponse ? dst : src;
    const portId = ((isResponse ? dport : sport) << 16) | id;
    let k = (Math.imul(client ^ portId, 2654435761) >>> 0) & (OPEN_SLOTS - 1);
    if (!isResponse) {
      queries++;
      while (openPortId[k] >= 0) k = (k + 1) & (OPEN_SLOTS - 1);
      openAddr[k] = client;
      openPortId[k] = portId;
      openTime[k] = timeUs;
      const wk = client * 4294967296 + first;
      let w = (Math.imul(client ^ first, 2246822519) >>> 0) & (WALK_SLOTS - 1);
      while (walkKey[w] !== -1 && walkKey[w] !== wk) w = (w + 1) & (WALK_SLOTS - 1);
      // A new walk: a new first label, a second of quiet, or its first name asked again after others.
      if (walkKey[w] !== wk || timeUs - walkLast[w] > 1e6 || (h === walkFirstName[w] && h !== walkLastName[w])) {
        walks++;
        walkFirstName[w] = h;
      }
      walkKey[w] = wk;
      walkLast[w] = timeUs;
      walkLastName[w] = h;
      continue;
    }
    while (openPortId[k] !== -1 && !(openPortId[k] === portId && openAddr[k] === client)) k = (k + 1) & (OPEN_SLOTS - 1);
    if (openPortId[k] === -1) {
      unsolicited++;
      continue;
    }
    openPortId[k] = TOMB;
    answered++;
    if (rcode === 3) nxdomain++;
    histogram[Math.min(63, Math.max(0, Math.floor(Math.log2(timeUs - openTime[k] + 1) * 2)))]++;
  }
  // Keep the record the chunk cut, then read the next chunk after it.
  buf.copy(buf, 0, at, have);
  have -= at;
  at = 0;
  const n = readSync(fd, buf, have, CHUNK, null);
  if (n === 0) break;
  have += n;
}
closeSync(fd);

const wallS = performance.now() / 1000;
const cpu = process.cpuUsage();
const cpuS = (cpu.user + cpu.system) / 1e6;
process.stdout.write(
  `${messages} DNS messages (${queries} queries, ${answered} answered, ${unsolicited} unsolicited, ${nxdomain} NXDOMAIN), ` +
    `${names} names, ${walks} walks, ${skipped} other frames\n` +
    `from process start: ${wallS.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU: ${Math.round(messages / wallS).toLocaleString('en-US')} msgs/s, ` +
    `${((cpuS / messages) * 1e6).toFixed(2)} µs CPU a message\n`,
);

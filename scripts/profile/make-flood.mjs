#!/usr/bin/env node
// Writes the analysis bounds' worst case for memory, as a pcap: N A queries for N distinct names
// (qNNNNNNN.svc.cluster.local), from 50,000 client sockets on up to 250 hosts, none answered,
// all within 4 s, so that none times out before the capture ends. Every query opens a
// transaction and a lookup, until MAX_OPEN_TRANSACTIONS and MAX_OPEN_LOOKUPS close the oldest.
// Hand-built: no real resolver sends this, but a random-subdomain flood against a dead server
// comes close. Usage: node scripts/profile/make-flood.mjs N OUT.pcap
import { writeFileSync } from 'node:fs';

const [count, out] = process.argv.slice(2);
const n = Number(count);
if (!Number.isInteger(n) || n <= 0 || !out) {
  console.error('usage: node scripts/profile/make-flood.mjs N OUT.pcap');
  process.exit(2);
}
const START_S = 1_700_000_000;
const chunks = [];
const header = Buffer.alloc(24);
header.writeUInt32LE(0xa1b2c3d4, 0);
header.writeUInt16LE(2, 4);
header.writeUInt16LE(4, 6);
header.writeUInt32LE(65535, 16);
header.writeUInt32LE(1, 20);
chunks.push(header);
for (let i = 0; i < n; i++) {
  const labels = [`q${String(i).padStart(7, '0')}`, 'svc', 'cluster', 'local'];
  const name = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
  const dns = Buffer.concat([Buffer.from([(i >> 8) & 0xff, i & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]), name, Buffer.from([0, 1, 0, 1])]);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(10_000 + (i % 50_000), 0);
  udp.writeUInt16BE(53, 2);
  udp.writeUInt16BE(8 + dns.length, 4);
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + 8 + dns.length, 2);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(17, 9);
  ip.writeUInt32BE((0x0a000000 | ((1 + (Math.floor(i / 50_000) % 250)) << 8) | 7) >>> 0, 12);
  ip.writeUInt32BE(0x0a60000a, 16);
  const ethernet = Buffer.alloc(14);
  ethernet.writeUInt16BE(0x0800, 12);
  const frame = Buffer.concat([ethernet, ip, udp, dns]);
  const us = Math.floor((i * 4_000_000) / n);
  const record = Buffer.alloc(16);
  record.writeUInt32LE(START_S + Math.floor(us / 1_000_000), 0);
  record.writeUInt32LE(us % 1_000_000, 4);
  record.writeUInt32LE(frame.length, 8);
  record.writeUInt32LE(frame.length, 12);
  chunks.push(record, frame);
}
writeFileSync(out, Buffer.concat(chunks));

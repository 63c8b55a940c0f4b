#!/usr/bin/env node
// Writes a reproducible pcap of realistic Kubernetes pod DNS traffic for profiling the decode
// stage: glibc A+AAAA walks through a 4-suffix search list (ndots:5), NXDOMAIN with the zone's
// SOA in the authority section, CNAME chains with A/AAAA answers, in-cluster Services answered
// on the first suffix, a quarter of the clients using EDNS (options edns0), many clients
// interleaved. Usage: node scripts/profile/make-capture.mjs OUT.pcap [messages=1000000]
import { openSync, writeSync, closeSync } from 'node:fs';

const out = process.argv[2];
const target = Number(process.argv[3] ?? 1_000_000);
if (!out) {
  process.stderr.write('usage: make-capture.mjs OUT.pcap [messages]\n');
  process.exit(2);
}

let seed = 0x9e3779b9;
/** xorshift32: the same capture on every run. */
function rand() {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 0x100000000;
}
const pick = (a) => a[Math.floor(rand() * a.length)];

const NAMESPACES = ['default', 'payments', 'checkout', 'search', 'web', 'batch'];
const EXTERNAL = ['api.stripe.com', 'www.googleapis.com', 'sqs.eu-west-1.amazonaws.com', 'blog.mosuke.tech', 'registry.npmjs.org', 'github.com', 'login.microsoftonline.com', 'hooks.slack.com', 'o123.ingest.sentry.io', 'api.datadoghq.com'];
const SERVICES = ['redis', 'postgres', 'kafka', 'auth', 'users', 'inventory', 'my-blog'];
const CDN = ['edge.cdn.example.net', 'd1234.cloudfront.net', 'prod.fastly-edge.com'];
const NODE_DOMAIN = 'eu-west-1.compute.internal';

const clients = [];
for (let i = 0; i < 64; i++) {
  clients.push({ ip: [10, 244, 1 + (i >> 4), 10 + i], ns: NAMESPACES[i % NAMESPACES.length], edns: i % 4 === 0, port: 30000 + Math.floor(rand() * 30000), id: Math.floor(rand() * 65536) });
}
const SERVER = [10, 96, 0, 10];

// ---- DNS message building with compression (RFC 1035 §4.1.4) -------------------------------
function encodeName(parts, name, table) {
  const labels = name === '' ? [] : name.split('.');
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    const at = table.get(suffix);
    if (at !== undefined) {
      parts.push(0xc0 | (at >> 8), at & 0xff);
      return;
    }
    table.set(suffix, parts.length);
    parts.push(labels[i].length, ...Buffer.from(labels[i]));
  }
  parts.push(0);
}
const u16 = (p, v) => p.push((v >> 8) & 0xff, v & 0xff);
const u32 = (p, v) => p.push((v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);

function dnsMessage({ id, response, rcode = 0, qname, qtype, answers = [], authority = [], edns }) {
  const p = [];
  const table = new Map();
  u16(p, id);
  u16(p, response ? 0x8180 | rcode : 0x0100);
  u16(p, 1); u16(p, answers.length); u16(p, authority.length); u16(p, edns ? 1 : 0);
  encodeName(p, qname, table); u16(p, qtype); u16(p, 1);
  for (const r of [...answers, ...authority]) {
    encodeName(p, r.name, table);
    u16(p, r.type); u16(p, 1); u32(p, r.ttl);
    const lenAt = p.length;
    u16(p, 0);
    if (r.type === 1) p.push(...r.data);
    else if (r.type === 28) p.push(...r.data);
    else if (r.type === 5) encodeName(p, r.data, table);
    else if (r.type === 6) {
      encodeName(p, r.data.mname, table); encodeName(p, r.data.rname, table);
      for (const n of [r.data.serial, 7200, 1800, 86400, 30]) u32(p, n);
    }
    const len = p.length - lenAt - 2;
    p[lenAt] = len >> 8; p[lenAt + 1] = len & 0xff;
  }
  if (edns) { p.push(0); u16(p, 41); u16(p, response ? 1232 : 1200); u32(p, 0); u16(p, 0); }
  return Buffer.from(p);
}

function soa(zone) {
  return { name: zone, type: 6, ttl: 30, data: { mname: zone === 'cluster.local' ? 'ns.dns.cluster.local' : `ns1.${zone}`, rname: zone === 'cluster.local' ? 'hostmaster.cluster.local' : `hostmaster.${zone}`, serial: 1700000000 } };
}
const v4 = () => [104, 16, Math.floor(rand() * 256), Math.floor(rand() * 256)];
const v6 = () => [0x26, 0x06, 0x47, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x68, 0x10, Math.floor(rand() * 256), Math.floor(rand() * 256)];

// ---- pcap writing ---------------------------------------------------------------------------
const fd = openSync(out, 'w');
const OUT_CHUNK = 4 << 20;
let buf = Buffer.alloc(OUT_CHUNK);
let used = 0;
function flush() { writeSync(fd, buf, 0, used); used = 0; }
const global = Buffer.alloc(24);
global.writeUInt32LE(0xa1b2c3d4, 0); global.writeUInt16LE(2, 4); global.writeUInt16LE(4, 6);
global.writeUInt32LE(262144, 16); global.writeUInt32LE(1, 20);
writeSync(fd, global);

let messages = 0;
function writePacket(timeUs, src, sport, dst, dport, dns) {
  const len = 14 + 20 + 8 + dns.length;
  if (used + 16 + len > OUT_CHUNK) flush();
  const t = Math.floor(timeUs);
  buf.writeUInt32LE(Math.floor(t / 1e6), used); buf.writeUInt32LE(t % 1e6, used + 4);
  buf.writeUInt32LE(len, used + 8); buf.writeUInt32LE(len, used + 12);
  let o = used + 16;
  buf.fill(0x02, o, o + 12); buf.writeUInt16BE(0x0800, o + 12); o += 14;
  buf[o] = 0x45; buf[o + 1] = 0; buf.writeUInt16BE(20 + 8 + dns.length, o + 2); buf.writeUInt16BE(messages & 0xffff, o + 4);
  buf.writeUInt16BE(0x4000, o + 6); buf[o + 8] = 64; buf[o + 9] = 17; buf.writeUInt16BE(0, o + 10);
  buf.set(src, o + 12); buf.set(dst, o + 16); o += 20;
  buf.writeUInt16BE(sport, o); buf.writeUInt16BE(dport, o + 2); buf.writeUInt16BE(8 + dns.length, o + 4); buf.writeUInt16BE(0, o + 6); o += 8;
  dns.copy(buf, o);
  used = o + dns.length;
  messages++;
}

/** Events (time, packet) of all clients, merged in time order through a small queue. */
const queue = [];
function schedule(timeUs, write) {
  queue.push({ timeUs, write });
}

let now = 1_780_000_000_000_000;
function lookup(c, start) {
  const kind = rand();
  const suffixes = [`${c.ns}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local', NODE_DOMAIN];
  let tries;
  let final;
  if (kind < 0.25) {
    // In-cluster Service: answered on the first suffix, AAAA NODATA.
    const svc = pick(SERVICES);
    tries = [];
    final = { name: `${svc}.${suffixes[0]}`, a: [{ name: `${svc}.${suffixes[0]}`, type: 1, ttl: 5, data: [10, 96, 1 + Math.floor(rand() * 200), 1 + Math.floor(rand() * 250)] }], aaaa: [], zone: 'cluster.local' };
  } else {
    const ext = pick(EXTERNAL);
    tries = suffixes.map((s) => `${ext}.${s}`);
    const zone = ext.split('.').slice(-2).join('.');
    if (rand() < 0.4) {
      const target = `${ext.split('.')[0]}.${pick(CDN)}`;
      const cn = { name: ext, type: 5, ttl: 300, data: target };
      final = { name: ext, a: [cn, { name: target, type: 1, ttl: 60, data: v4() }, { name: target, type: 1, ttl: 60, data: v4() }], aaaa: [cn, { name: target, type: 28, ttl: 60, data: v6() }], zone };
    } else {
      final = { name: ext, a: [{ name: ext, type: 1, ttl: 60, data: v4() }], aaaa: rand() < 0.5 ? [{ name: ext, type: 28, ttl: 60, data: v6() }] : [], zone };
    }
  }
  let t = start;
  const port = c.port;
  c.port = c.port >= 60000 ? 30000 : c.port + 1;
  const steps = [...tries.map((n) => ({ name: n, nx: true })), { name: final.name, nx: false }];
  for (const step of steps) {
    const idA = c.id; const idAAAA = (c.id + 1) & 0xffff;
    c.id = (c.id + 2) & 0xffff;
    // glibc sends A and AAAA back to back on one socket (send_dg, parallel lookup).
    const qa = dnsMessage({ id: idA, response: false, qname: step.name, qtype: 1, edns: c.edns });
    const qaaaa = dnsMessage({ id: idAAAA, response: false, qname: step.name, qtype: 28, edns: c.edns });
    const zoneOfStep = step.nx ? (step.name.endsWith('cluster.local') ? 'cluster.local' : NODE_DOMAIN.split('.').slice(-2).join('.')) : final.zone;
    const ra = step.nx
      ? dnsMessage({ id: idA, response: true, rcode: 3, qname: step.name, qtype: 1, authority: [soa(zoneOfStep)], edns: c.edns })
      : dnsMessage({ id: idA, response: true, qname: step.name, qtype: 1, answers: final.a, edns: c.edns });
    const raaaa = step.nx
      ? dnsMessage({ id: idAAAA, response: true, rcode: 3, qname: step.name, qtype: 28, authority: [soa(zoneOfStep)], edns: c.edns })
      : dnsMessage({ id: idAAAA, response: true, qname: step.name, qtype: 28, answers: final.aaaa, authority: final.aaaa.length === 0 ? [soa(final.zone)] : [], edns: c.edns });
    const cip = c.ip;
    const sent = t;
    const lat = 200 + rand() * 1500;
    const second = lat + 40 + rand() * 200;
    schedule(sent, () => writePacket(sent, cip, port, SERVER, 53, qa));
    schedule(sent + 15, () => writePacket(sent + 15, cip, port, SERVER, 53, qaaaa));
    schedule(sent + lat, () => writePacket(sent + lat, SERVER, 53, cip, port, ra));
    schedule(sent + second, () => writePacket(sent + second, SERVER, 53, cip, port, raaaa));
    t += lat + 300;
  }
  return t;
}

const next = clients.map(() => now + rand() * 10_000);
while (messages < target) {
  // The client due first starts its next lookup; events of all clients are interleaved.
  let i = 0;
  for (let j = 1; j < next.length; j++) if (next[j] < next[i]) i = j;
  const end = lookup(clients[i], next[i]);
  next[i] = end + rand() * 20_000;
  if (queue.length > 20_000) drain(Math.min(...next));
}
drain(Infinity);
flush();
closeSync(fd);
process.stderr.write(`wrote ${messages} DNS messages to ${out}\n`);

function drain(before) {
  queue.sort((a, b) => a.timeUs - b.timeUs);
  let k = 0;
  while (k < queue.length && queue[k].timeUs < before) {
    queue[k].write();
    k++;
  }
  queue.splice(0, k);
}

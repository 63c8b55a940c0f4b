#!/usr/bin/env bash
# Regenerates test/conformance/tshark-expectations.json: the DNS messages tshark decodes in every
# capture of the shared corpus (tcpdump's own test captures) and of fixtures/ (the lab's
# captures), one row per message. The conformance test compares dnstrace's decoding with them.
#
# Usage: scripts/conformance/make-tshark-expectations.sh [CORPUS_DIR]
#   CORPUS_DIR defaults to ../shared/corpus/tcpdump relative to the repository root.
# Needs tshark and node. Run it again after adding captures or upgrading tshark, and review the
# diff: the test's list of exceptions may need a new entry.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${1:-"$root/../shared/corpus/tcpdump"}
out="$root/test/conformance/tshark-expectations.json"

command -v tshark >/dev/null || { echo "tshark is not installed" >&2; exit 1; }
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }

# The corpus puts DNS on port 8053 in two captures (dns_tcp_8053, dns_udp_8053); tshark decodes
# DNS there only when told to, as dnstrace does with --port 8053.
decode_as=(-d udp.port==8053,dns -d tcp.port==8053,dns)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/captures" "$tmp/fixtures"
dissect() { # capture-file output-dir
  # -T json keeps one array per field, one value per DNS message in the frame (DNS over TCP can
  # carry several). dns.resp.ext_rcode holds the upper rcode bits from OPT (RFC 6891 §6.1.3);
  # icmp.type / icmpv6.type mark DNS that tshark found quoted inside an ICMP error.
  tshark -n -r "$1" "${decode_as[@]}" -Y dns -T json \
    -e frame.number -e dns.id -e dns.flags.response -e dns.qry.name -e dns.qry.type \
    -e dns.flags.rcode -e dns.resp.ext_rcode -e icmp.type -e icmpv6.type 2>/dev/null >"$2/$(basename "$1").json" || true
}
for f in "$corpus"/*.pcap "$corpus"/*.pcapng; do [ -e "$f" ] && dissect "$f" "$tmp/captures"; done
for f in "$root"/fixtures/*.pcap "$root"/fixtures/*.pcapng "$root"/fixtures/*.pcap.gz; do [ -e "$f" ] && dissect "$f" "$tmp/fixtures"; done

TSHARK_VERSION=$(tshark --version | head -1) node --input-type=module - "$tmp" "$out" <<'JS'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
const [dir, out] = process.argv.slice(2);
const readAll = (sub) => {
const captures = {};
for (const file of readdirSync(`${dir}/${sub}`).sort()) {
  const text = readFileSync(`${dir}/${sub}/${file}`, 'utf8').trim();
  const packets = text === '' ? [] : JSON.parse(text);
  const rows = [];
  for (const p of packets) {
    const l = p._source.layers;
    const ids = l['dns.id'] ?? [];
    ids.forEach((id, i) => {
      const response = (l['dns.flags.response'] ?? [])[i] === '1';
      const name = (l['dns.qry.name'] ?? [])[i];
      const type = (l['dns.qry.type'] ?? [])[i];
      // tshark shows rcode only in responses; the extended bits only when OPT is present.
      const rcode = response && l['dns.flags.rcode'] ? Number(l['dns.flags.rcode'][i]) + (Number(l['dns.resp.ext_rcode']?.[i] ?? 0) << 4) : null;
      const row = {
        frame: Number(l['frame.number'][0]),
        id: Number(id),
        response,
        name: name === undefined ? null : name === '<Root>' ? '' : name,
        type: type === undefined ? null : Number(type),
        rcode,
      };
      if (l['icmp.type'] || l['icmpv6.type']) row.inIcmp = true;
      rows.push(row);
    });
  }
  captures[file.replace(/\.json$/, '')] = rows;
}
return captures;
};
const captures = readAll('captures');
const fixtures = readAll('fixtures');
// One message per line, so a regeneration reviews as a readable diff.
const body = (set) => Object.entries(set)
  .map(([file, rows]) => `  ${JSON.stringify(file)}: [${rows.map((r) => `\n    ${JSON.stringify(r)}`).join(',')}${rows.length ? '\n  ' : ''}]`)
  .join(',\n');
const header = `"generatedBy": "scripts/conformance/make-tshark-expectations.sh",\n "tshark": ${JSON.stringify(process.env.TSHARK_VERSION)}`;
writeFileSync(out, `{\n ${header},\n "captures": {\n${body(captures)}\n },\n "fixtures": {\n${body(fixtures)}\n }\n}\n`);
console.log(`wrote ${out}: ${Object.keys(captures).length} corpus captures, ${Object.keys(fixtures).length} fixtures, ${[...Object.values(captures), ...Object.values(fixtures)].flat().length} DNS messages`);
JS

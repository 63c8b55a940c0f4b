#!/usr/bin/env node
// What each stage of a streamed run costs, as one `dnstrace analyze` run pays it (one pass, JIT
// warm-up and garbage collection included): the capture is read in 1 MiB chunks and its
// messages go, as they are decoded, through the stages up to the one named, each added on top
// of those before it. The differences between stages are each stage's share. Best of N runs,
// each in a process of its own, in CPU time (all threads: the collector's helpers count).
// Run `npm run build` first.
// Usage: node scripts/profile/stage-bench.mjs CAPTURE [runs=3] [decode|pairing|lookups|analyze|report|all]
//   decode   read and decode, messages dropped
//   pairing  + TransactionPairer alone, transactions dropped as they settle
//   lookups  + TransactionPairer, ResolverProfileInferrer and LookupBuilder wired as DnsAnalyzer
//            wires them, results dropped as they come out (no report order)
//   analyze  decode + DnsAnalyzer (the same, as the CLI wires it), results dropped
//   report   + ReportAccumulator (findings and aggregate tables): the default report without rendering
//   all      each of the four in turn
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [file, runsArg, stage = 'all'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: stage-bench.mjs CAPTURE [runs] [decode|pairing|lookups|analyze|report|all]\n');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);

if (process.env.STAGE_BENCH_CHILD) {
  process.stdout.write(JSON.stringify(await once(process.env.STAGE_BENCH_CHILD)));
} else {
  for (const s of stage === 'all' ? ['decode', 'pairing', 'lookups', 'analyze', 'report'] : [stage]) {
    let best = null;
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), file], { env: { ...process.env, STAGE_BENCH_CHILD: s } });
      const r = JSON.parse(out.toString());
      if (best === null || r.cpuS < best.cpuS) best = r;
    }
    process.stdout.write(
      `${s.padEnd(8)} ${best.messages} messages (checksum ${best.sum}); best of ${runs}: cpu ${best.cpuS.toFixed(2)} s, ` +
        `${((best.cpuS / best.messages) * 1e6).toFixed(2)} µs/message, wall ${best.wall.toFixed(2)} s, peak RSS ${best.rssMb} MB\n`,
    );
  }
}

async function once(upTo) {
  const { FrameDecoder } = await import('../../dist/decode/frame-decoder.js');
  const { sniffInput } = await import('../../dist/input/open-input.js');
  const { readPcap } = await import('../../dist/input/pcap-reader.js');
  const { readPcapng } = await import('../../dist/input/pcapng-reader.js');
  const { DnsAnalyzer } = await import('../../dist/analyze/dns-analyzer.js');
  const { ReportAccumulator } = await import('../../dist/analyze/report-accumulator.js');
  const diag = { anomaly: () => {}, warn: () => {} };
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let sum = 0;
  let messages = 0;
  // A number field, updated in place (a shared `let` would box every timestamp, as the CLI does not).
  const clock = { lastUs: 0 };
  const accumulator = upTo === 'report' ? new ReportAccumulator() : null;
  const analyzer =
    upTo === 'decode'
      ? null
      : upTo === 'pairing' || upTo === 'lookups'
        ? await unorderedAnalysis(diag, (n) => (sum = (sum + n) & 0xfffffff), upTo === 'lookups')
        : new DnsAnalyzer({ timeoutMs: 5000, resolver: {} }, diag, {
          transaction(tx, retry) {
            sum = (sum + tx.status.length + Math.round(tx.latencyMs ?? 0)) & 0xfffffff;
            accumulator?.transaction(tx, retry);
          },
          lookup(l, attemptTx) {
            sum = (sum + l.queries * 7 + l.attempts.length + l.kind.length) & 0xfffffff;
            accumulator?.lookup(l, attemptTx);
          },
        });
  const input = await sniffInput(createReadStream(file, { highWaterMark: 1 << 20 }), false, diag);
  const read = input.format === 'pcap' ? readPcap : readPcapng;
  const decoder = new FrameDecoder(diag, undefined, {
    sink: {
      message(m) {
        messages++;
        if (m.timeUs > clock.lastUs) clock.lastUs = m.timeUs;
        analyzer?.add(m);
      },
      icmpUnreachable(u) {
        analyzer?.addIcmp(u);
      },
    },
    // As the CLI decodes: this sink keeps no message.
    reuseMessages: true,
  });
  await read(input.chunks, decoder, diag);
  decoder.finish();
  if (analyzer !== null) {
    const { resolvers } = analyzer.finish(clock.lastUs);
    if (accumulator !== null) sum = (sum + accumulator.finish(resolvers, new Map()).findings.length) & 0xfffffff;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return { messages, sum, wall, cpuS: (cpu.user + cpu.system) / 1e6, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/** The analysis as analyze-bench.mjs wires it, without DnsAnalyzer; the pairer alone unless `withLookups`. */
async function unorderedAnalysis(diag, count, withLookups) {
  const { LookupBuilder } = await import('../../dist/analyze/lookup-builder.js');
  const { ResolverProfileInferrer } = await import('../../dist/analyze/resolver-profile-inferrer.js');
  const { TransactionPairer } = await import('../../dist/analyze/transaction-pairer.js');
  const profiles = new ResolverProfileInferrer({});
  const builder = new LookupBuilder({ timeoutMs: 5000 }, profiles, (l) => count(l.queries * 7 + l.attempts.length + l.kind.length), diag);
  const pairer = new TransactionPairer(
    { timeoutMs: 5000 },
    {
      opened(tx) {
        if (!withLookups) return;
        profiles.observeQuery(tx);
        builder.addQuery(tx);
      },
      settled(tx) {
        if (withLookups) builder.settled(tx);
        count(tx.status.length + Math.round(tx.latencyMs ?? 0));
      },
      resent: (tx, gapUs, sends) => withLookups && profiles.observeResend(tx.clientHost, gapUs, sends),
    },
    diag,
  );
  return {
    add(m) {
      pairer.add(m);
      if (withLookups) builder.advance(m.timeUs);
    },
    addIcmp(u) {
      pairer.addIcmp(u);
      if (withLookups) builder.advance(u.timeUs);
    },
    finish(endUs) {
      pairer.finish(endUs);
      if (withLookups) builder.finish();
      return { resolvers: profiles.profiles() };
    },
  };
}

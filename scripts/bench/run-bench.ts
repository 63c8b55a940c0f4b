/**
 * `npm run bench [-- --messages N --runs N --quick]`: issue 7's benchmark. Generates the
 * realistic capture (N and 4×N DNS messages) into bench-data/, runs dnstrace on it in every input
 * and output form, and tshark and tcpdump on the same file, each a median of N runs (in N rounds
 * of every command once) for wall seconds, CPU seconds and peak RSS, then prints the table and the targets
 * with pass/fail.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchRow, type RowKey, evaluateTargets, fmtRate } from './evaluate-targets.js';
import { type Measurement, haveGnuTime, measureCommand, medianOf } from './measure-command.js';
import { haveCommand, prepareCapture, prepareGzip, prepareText } from './prepare-bench-data.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DATA = `${ROOT}bench-data`;
const DNSTRACE = `'${process.execPath}' '${ROOT}bin/dnstrace.js'`;

interface Plan {
  key: RowKey;
  tool: string;
  command: string;
  items: number;
  unit: BenchRow['unit'];
  skip: string | null;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string' },
      runs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '600' },
    },
  });
  const quick = values.quick ?? false;
  const messages = Number(values.messages ?? (quick ? 100_000 : 1_000_000));
  const runs = Number(values.runs ?? (quick ? 1 : 3));
  const timeout = Number(values.timeout);
  if (![messages, runs, timeout].every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write('usage: npm run bench -- [--messages N] [--runs N] [--quick] [--timeout SECONDS]\n');
    return 2;
  }
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  if (!haveGnuTime()) log('GNU time (/usr/bin/time) is not installed: peak RSS will not be measured (apt-get install time)');

  const one = prepareCapture(DATA, messages, log);
  const four = prepareCapture(DATA, messages * 4, log);
  // What an incident looks like: every query goes to a dead first nameserver, draws an ICMP port
  // unreachable and fails over to the second (a third of the frames ICMP, twice the queries).
  const incident = prepareCapture(DATA, messages, log, { name: 'dead-first', failures: { firstServer: 'dead' } });
  const gz = await prepareGzip(one.pcap, log);
  const text = prepareText(one.pcap, log);
  const jsonlNote = supportsFormat('jsonl') ? null : 'skipped: the CLI rejects --format jsonl';
  const n = one.stats.messages;
  const n4 = four.stats.messages;
  const F = `'${one.pcap}'`;
  const F4 = `'${four.pcap}'`;
  const I = `'${incident.pcap}'`;
  const ni = incident.stats.messages;
  const tshark = haveCommand('tshark') ? null : 'skipped: tshark not installed';
  const tcpdump = haveCommand('tcpdump') ? null : 'skipped: tcpdump not installed';

  const plans: Plan[] = [
    { key: 'default', tool: 'dnstrace analyze F (markdown)', command: `${DNSTRACE} analyze ${F} > /dev/null`, items: n, unit: 'msgs/s', skip: null },
    { key: 'json', tool: 'dnstrace analyze F --format json', command: `${DNSTRACE} analyze ${F} --format json > /dev/null`, items: n, unit: 'msgs/s', skip: null },
    { key: 'jsonl', tool: 'dnstrace analyze F --format jsonl', command: `${DNSTRACE} analyze ${F} --format jsonl > /dev/null`, items: n, unit: 'msgs/s', skip: jsonlNote },
    { key: 'stdin', tool: 'cat F | dnstrace analyze -', command: `cat ${F} | ${DNSTRACE} analyze - > /dev/null`, items: n, unit: 'msgs/s', skip: null },
    { key: 'gzip', tool: 'dnstrace analyze F.gz', command: `${DNSTRACE} analyze '${gz}' > /dev/null`, items: n, unit: 'msgs/s', skip: null },
    { key: 'text', tool: 'dnstrace analyze F.txt (tcpdump text)', command: text ? `${DNSTRACE} analyze '${text.path}' > /dev/null` : '', items: text?.lines ?? 0, unit: 'lines/s', skip: text ? null : 'skipped: tcpdump not installed' },
    { key: 'default4x', tool: 'dnstrace analyze 4×F (markdown)', command: `${DNSTRACE} analyze ${F4} > /dev/null`, items: n4, unit: 'msgs/s', skip: null },
    { key: 'json4x', tool: 'dnstrace analyze 4×F --format json', command: `${DNSTRACE} analyze ${F4} --format json > /dev/null`, items: n4, unit: 'msgs/s', skip: null },
    { key: 'jsonl4x', tool: 'dnstrace analyze 4×F --format jsonl', command: `${DNSTRACE} analyze ${F4} --format jsonl > /dev/null`, items: n4, unit: 'msgs/s', skip: jsonlNote },
    { key: 'incident', tool: 'dnstrace analyze I (markdown)', command: `${DNSTRACE} analyze ${I} > /dev/null 2>&1`, items: ni, unit: 'msgs/s', skip: null },
    { key: 'incidentJson', tool: 'dnstrace analyze I --format json', command: `${DNSTRACE} analyze ${I} --format json > /dev/null 2>&1`, items: ni, unit: 'msgs/s', skip: null },
    { key: 'incidentJsonl', tool: 'dnstrace analyze I --format jsonl', command: `${DNSTRACE} analyze ${I} --format jsonl > /dev/null 2>&1`, items: ni, unit: 'msgs/s', skip: jsonlNote },
    {
      key: 'tshark',
      tool: 'tshark -r F -Y dns -T fields ...',
      command: `tshark -r ${F} -Y dns -T fields -e frame.number -e dns.id -e dns.flags.response -e dns.qry.name -e dns.qry.type -e dns.flags.rcode > /dev/null 2>&1`,
      items: n,
      unit: 'msgs/s',
      skip: tshark,
    },
    { key: 'tcpdump', tool: 'tcpdump -n -r F > /dev/null', command: `tcpdump -n -r ${F} > /dev/null 2>&1`, items: n, unit: 'msgs/s', skip: tcpdump },
  ];

  const loadBefore = loadavg()[0];
  // Round by round, every command once a round: this VM's speed drifts by a third within an hour,
  // and running each command's runs back to back put that drift on the ratios (stdin against the
  // file, JSON against markdown) instead of spreading it over all of them.
  const measured = new Map<Plan, Measurement[]>(plans.filter((p) => p.skip === null).map((p) => [p, []]));
  for (let round = 1; round <= runs; round++) {
    log(`round ${round} of ${runs}: ${measured.size} command(s)...`);
    for (const [p, ms] of measured) {
      // A command that failed is not run again: its failure is its row.
      if (ms.some((m) => m.exitCode !== 0)) continue;
      ms.push(await measureCommand(p.command, timeout));
    }
  }
  const rows: BenchRow[] = plans.map((p) => {
    const ms = measured.get(p);
    return { key: p.key, tool: p.tool, items: p.items, unit: p.unit, m: ms === undefined ? null : medianOf(ms), note: ms === undefined ? p.skip : null };
  });

  const out: string[] = [];
  out.push(`dnstrace benchmark: F = ${n.toLocaleString('en-US')} DNS messages (${one.stats.lookups.toLocaleString('en-US')} lookups, ${mb(one.stats.bytes)} MB), 4×F = ${n4.toLocaleString('en-US')}; median of ${runs} run(s)`);
  out.push(`I = ${ni.toLocaleString('en-US')} DNS messages of the same traffic with a dead first nameserver (${incident.stats.lookups.toLocaleString('en-US')} lookups, ${mb(incident.stats.bytes)} MB)`);
  const loadAfter = loadavg()[0];
  out.push(`machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.versions.node}, load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`);
  // Other work on the machine slows every row; the ratios then mean little.
  if (Math.max(loadBefore, loadAfter) > cpus().length) out.push(`warning: the load average exceeded the ${cpus().length} cores: other processes competed for the CPU, so these figures are pessimistic and noisy`);
  out.push('');
  out.push(table(rows));
  out.push('');
  out.push(targetsTable(rows));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function table(rows: readonly BenchRow[]): string {
  const base = rows.find((r) => r.key === 'default')?.m;
  const lines = [['tool', 'wall s', 'CPU s', 'rate', 'peak RSS MB', 'wall ÷ dnstrace wall'].join(' | ')];
  lines.push('--- | ---: | ---: | ---: | ---: | ---:');
  for (const row of rows) {
    // A tool's name may hold a shell pipe, which would end a markdown table cell.
    const r = { ...row, tool: row.tool.replaceAll('|', '\\|') };
    if (!r.m) {
      lines.push(`${r.tool} | ${r.note} | | | |`);
      continue;
    }
    if (r.m.exitCode !== 0) {
      lines.push(`${r.tool} | failed after ${r.m.wallSeconds.toFixed(2)} s (exit ${r.m.exitCode}: ${r.m.error}) | ${cpu(r.m.cpuSeconds)} | | ${rss(r.m.peakRssMb)} |`);
      continue;
    }
    const ratio = base && base.exitCode === 0 ? `${(r.m.wallSeconds / base.wallSeconds).toFixed(2)}×` : 'n/a';
    lines.push(`${r.tool} | ${r.m.wallSeconds.toFixed(2)} | ${cpu(r.m.cpuSeconds)} | ${fmtRate(r.items / r.m.wallSeconds)} ${r.unit} | ${rss(r.m.peakRssMb)} | ${ratio}`);
  }
  return lines.map((l) => `| ${l} |`).join('\n');
}

function targetsTable(rows: readonly BenchRow[]): string {
  const lines = ['| target (issue 7) | verdict | measured |', '| --- | --- | --- |'];
  for (const t of evaluateTargets(rows)) lines.push(`| ${t.target} | ${t.verdict} | ${t.measured} |`);
  return lines.join('\n');
}

function supportsFormat(format: string): boolean {
  const r = spawnSync(process.execPath, [`${ROOT}bin/dnstrace.js`, 'analyze', `${ROOT}fixtures/search-expansion.tcpdump.txt`, '--format', format], { stdio: 'ignore' });
  return r.status === 0;
}

function cpu(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(2);
}

function rss(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(1);
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

process.exitCode = await main();

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from '../helpers.js';
import type { Report } from '../../src/model.js';

/** Runs the built CLI as a user would (npm test builds first). */
function dnstrace(args: string[]) {
  const r = spawnSync(process.execPath, [`${ROOT}bin/dnstrace.js`, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--resolv-conf, --search, --ndots and --namespace', () => {
  it('take the resolver configuration from a resolv.conf, the flags winning over it, and say where each value came from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnstrace-'));
    const conf = join(dir, 'resolv.conf');
    writeFileSync(conf, 'nameserver 127.0.0.10\nsearch test.svc.cluster.local svc.cluster.local cluster.local us-east-2.compute.internal\noptions ndots:5 attempts:2\n');
    const r = dnstrace(['analyze', `${FIXTURES}dig-search.pcap`, '-f', 'json', '--resolv-conf', conf, '--ndots', '4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [p] = (JSON.parse(r.stdout) as Report).resolvers;
    expect(p).toMatchObject({ searchList: ['test.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'us-east-2.compute.internal'], ndots: 4, attempts: 2, nameservers: ['127.0.0.10'] });
    expect(p.sources).toMatchObject({ searchList: `from --resolv-conf ${conf}`, ndots: 'given on the command line (--ndots)', attempts: `from --resolv-conf ${conf}` });
  });

  it('splits --search on commas and spaces, drops trailing dots, and rebuilds the lookups with it', () => {
    const r = dnstrace(['analyze', `${FIXTURES}dig-search.pcap`, '-f', 'json', '--search', 'test.svc.cluster.local., svc.cluster.local']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.resolvers[0].searchList).toEqual(['test.svc.cluster.local', 'svc.cluster.local']);
    expect(report.lookups.map((l) => [l.name, l.queries, l.wastedQueries])).toEqual([
      ['my-blog', 1, 0],
      ['blog.mosuke.tech', 5, 4],
    ]);
  });

  it('gives one line and exit code 2 for a missing resolv.conf or a bad --ndots', () => {
    const missing = dnstrace(['analyze', `${FIXTURES}dig-search.pcap`, '--resolv-conf', '/nonexistent/resolv.conf']);
    expect([missing.code, missing.stderr]).toEqual([2, 'dnstrace: /nonexistent/resolv.conf: no such file\n']);
    const bad = dnstrace(['analyze', `${FIXTURES}dig-search.pcap`, '--ndots', 'five']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

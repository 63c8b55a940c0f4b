import { describe, expect, it } from 'vitest';
import { parseResolvConf } from '../../src/analyze/parse-resolv-conf.js';

describe('reading a resolv.conf given with --resolv-conf', () => {
  it('reads a pod resolv.conf: nameserver, search list in order, ndots, timeout and attempts', () => {
    const { overrides, problems } = parseResolvConf(
      [
        '# written by kubelet',
        'search test.svc.cluster.local svc.cluster.local cluster.local us-east-2.compute.internal',
        'nameserver 10.96.0.10',
        'options ndots:5 timeout:2 attempts:3 single-request-reopen ; comment',
      ].join('\n'),
      'from --resolv-conf pod.conf',
    );
    expect(problems).toEqual([]);
    expect(overrides).toMatchObject({
      searchList: ['test.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'us-east-2.compute.internal'],
      nameservers: ['10.96.0.10'],
      ndots: 5,
      timeoutMs: 2000,
      attempts: 3,
      aaaaMode: 'serial-reopen',
    });
    expect(overrides.origin?.ndots).toBe('from --resolv-conf pod.conf');
  });

  it('lets the last search or domain line win and caps ndots at 15 like glibc', () => {
    const { overrides } = parseResolvConf('search a.example\ndomain B.Example.\noptions ndots:20', 'x');
    expect(overrides).toMatchObject({ searchList: ['b.example'], ndots: 15 });
  });

  it('reports an option value that is not a number with its line, and keeps the rest', () => {
    const { overrides, problems } = parseResolvConf('nameserver 10.0.0.1\noptions ndots:five timeout:1', 'x');
    expect(problems).toEqual(['line 2: options ndots:five: not a whole number']);
    expect(overrides).toMatchObject({ nameservers: ['10.0.0.1'], timeoutMs: 1000 });
    expect(overrides.ndots).toBeUndefined();
  });
});

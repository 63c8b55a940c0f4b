import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAIN_THREAD_MAX_BYTES, THREAD_ENV, type PathFacts, chooseThread, chooseThreadFor, pathFacts } from '../../../src/cli/host/choose-thread.js';
import { HEAP_LIMIT_ENV } from '../../../src/cli/host/heap-limits.js';
import { FIXTURES, ROOT, makeTempDir } from '../../helpers.js';

const dir = makeTempDir('dnstrace-choose-');
const small = join(dir, 'small.pcap');
writeFileSync(small, Buffer.alloc(1000));
const other = join(dir, 'other.pcap');
writeFileSync(other, Buffer.alloc(MAIN_THREAD_MAX_BYTES - 1000));
const fifo = join(dir, 'fifo');
expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
const directory = join(dir, 'a-directory');
mkdirSync(directory);
// Sparse: as large as a big capture, without the disk it would take.
const sparse = join(dir, 'sparse.pcap');
expect(spawnSync('truncate', ['-s', '2G', sparse]).status).toBe(0);
const link = join(dir, 'link.pcap');
symlinkSync(small, link);
// A gzip whose content is far over the limit while the file itself is far under it.
const gzipped = join(dir, 'big.pcap.gz');
writeFileSync(gzipped, gzipSync(Buffer.alloc(MAIN_THREAD_MAX_BYTES * 2)));
const missing = join(dir, 'no-such.pcap');

function choose(args: string[], env: NodeJS.ProcessEnv = {}) {
  return chooseThreadFor(['analyze', ...args], env);
}

describe('chooseThread', () => {
  it('runs a small regular file in the main thread, alone or with options', async () => {
    expect(await choose([small])).toBe('main');
    expect(await choose([small, '-f', 'json', '--top', '5'])).toBe('main');
    expect(await choose([`${FIXTURES}externalname-vs-search.pcap`])).toBe('main');
    expect(await chooseThreadFor(['diff', small, other], {})).toBe('main');
  });

  it('follows a symbolic link to the file it names', async () => {
    expect(await choose([link])).toBe('main');
  });

  it('runs standard input in the worker: "-", or no file at all', async () => {
    expect(await choose(['-'])).toBe('worker');
    expect(await chooseThreadFor(['diff', small, '-'], {})).toBe('worker');
    expect(await choose([])).toBe('worker');
    expect(await chooseThreadFor(['--help'], {})).toBe('worker');
    expect(await chooseThreadFor(['--version'], {})).toBe('worker');
  });

  it('runs a missing file in the worker when nothing else is named (its error is the same there)', async () => {
    expect(await choose([missing])).toBe('worker');
    expect(await choose([small, '-o', missing])).toBe('main');
  });

  it('runs a FIFO, a device, /dev/fd/N or a directory in the worker: their length is unknown', async () => {
    expect(await choose([fifo])).toBe('worker');
    expect(await choose(['/dev/null'])).toBe('worker');
    expect(await choose([directory])).toBe('worker');
    expect(await choose([small, '--resolv-conf', fifo])).toBe('worker');
  });

  it('finds /dev/fd/N of a process substitution (`<(tcpdump ...)`) no regular file', async () => {
    const facts = `import(${JSON.stringify(`${ROOT}dist/cli/host/choose-thread.js`)}).then((m) => m.pathFacts(process.argv[1])).then((f) => console.log(JSON.stringify(f)))`;
    const r = spawnSync('bash', ['-c', `'${process.execPath}' -e '${facts}' <(echo capture)`], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toMatchObject({ regular: false });
  });

  it(`runs files of more than ${MAIN_THREAD_MAX_BYTES} bytes in all in the worker`, async () => {
    expect(await choose([sparse])).toBe('worker');
    expect(await pathFacts(sparse)).toEqual({ regular: true, bytes: 2 ** 31 });
    expect(await choose([other])).toBe('main');
    expect(await chooseThreadFor(['diff', other, small], {})).toBe('main');
    expect(await chooseThreadFor(['diff', other, small, '--resolv-conf', small], {})).toBe('worker');
  });

  it('counts a gzip file as its content, from its trailer', async () => {
    expect(await pathFacts(gzipped)).toEqual({ regular: true, bytes: MAIN_THREAD_MAX_BYTES * 2 });
    expect(await choose([gzipped])).toBe('worker');
  });

  it(`runs in the worker when a heap limit is asked for (${HEAP_LIMIT_ENV}): only the worker has one`, async () => {
    expect(await choose([small], { [HEAP_LIMIT_ENV]: '64' })).toBe('worker');
    expect(await choose([small], { [HEAP_LIMIT_ENV]: '' })).toBe('main');
  });

  it(`takes ${THREAD_ENV}=main or worker over everything else, and nothing else`, async () => {
    expect(await choose([small], { [THREAD_ENV]: 'worker' })).toBe('worker');
    expect(await choose(['-'], { [THREAD_ENV]: 'main' })).toBe('main');
    expect(await choose([sparse], { [THREAD_ENV]: 'main', [HEAP_LIMIT_ENV]: '64' })).toBe('main');
    expect(await choose([small], { [THREAD_ENV]: '' })).toBe('main');
    expect(await choose([small], { [THREAD_ENV]: 'Main' })).toBe(`${THREAD_ENV}=Main: give main or worker (or leave it unset: dnstrace chooses by the input's size)`);
  });

  it('decides from the facts it is given alone', async () => {
    const facts = new Map<string, PathFacts>([
      ['a', { regular: true, bytes: 10 }],
      ['b', { regular: false, bytes: 0 }],
      ['c', { regular: true, bytes: MAIN_THREAD_MAX_BYTES }],
    ]);
    const factsOf = (path: string) => facts.get(path) ?? null;
    expect(chooseThread(['analyze', 'a'], {}, factsOf)).toBe('main');
    expect(chooseThread(['analyze', 'c'], {}, factsOf)).toBe('main');
    expect(chooseThread(['diff', 'a', 'c'], {}, factsOf)).toBe('worker');
    expect(chooseThread(['diff', 'a', 'b'], {}, factsOf)).toBe('worker');
    expect(chooseThread(['analyze', 'x'], {}, factsOf)).toBe('worker');
  });
});

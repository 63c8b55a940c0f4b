import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ROOT, makeTempDir } from '../helpers.js';

// Thousands of inputs or CLI runs per test: a loaded CI machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

describe('npm run fuzz', () => {
  it('runs a 2-second campaign against the built code and prints its counts', () => {
    const out = join(makeTempDir('dnstrace-fuzz-'), 'found');
    const r = spawnSync(process.execPath, [`${ROOT}scripts/fuzz/run-fuzz.mjs`, '--minutes', '0.035', '--seed', '8', '--out', out], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toMatch(/^fuzz: \d+ seed inputs, seed 8, 0\.035 min/);
    const done = /fuzz: done: (\d+) inputs \((\d+) reports, (\d+) input errors\), (\d+) distinct findings/.exec(r.stdout);
    expect(done, r.stdout + r.stderr).not.toBeNull();
    const [inputs, reports, inputErrors, findings] = done!.slice(1).map(Number);
    expect(inputs).toBeGreaterThan(0);
    expect(reports + inputErrors).toBeLessThanOrEqual(inputs);
    // Exit 1 exactly when something was found, and then every finding is saved with its story.
    expect(r.status).toBe(findings > 0 ? 1 : 0);
    const saved = existsSync(out) ? readdirSync(out) : [];
    expect(saved.filter((f) => f.endsWith('.bin'))).toHaveLength(findings);
    expect(saved.filter((f) => f.endsWith('.bin.txt'))).toHaveLength(findings);
  });

  it('refuses an unknown argument with exit code 2', () => {
    const r = spawnSync(process.execPath, [`${ROOT}scripts/fuzz/run-fuzz.mjs`, '--hours', '1'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('fuzz: unknown argument --hours\n');
  });
});

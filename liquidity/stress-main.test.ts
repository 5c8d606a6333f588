import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStressArgs, UsageError } from './stress-args.js';
import { stressMain } from './stress-main.js';

const dir = mkdtempSync(join(tmpdir(), 'stress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = new URL('./scenarios/run-40-depth-0.3.json', import.meta.url).pathname;

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = stressMain(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('parseStressArgs', () => {
  it('reads the flags with their defaults', () => {
    expect(parseStressArgs(['s.json'])).toEqual({ kind: 'run', args: { scenarioPath: 's.json', runs: 1_000, seed: 1, json: false, outDir: 'stress-report', replay: false } });
    expect(parseStressArgs(['--runs', '50', 's.json', '--seed', '0', '--json', '--out', 'o'])).toEqual({
      kind: 'run',
      args: { scenarioPath: 's.json', runs: 50, seed: 0, json: true, outDir: 'o', replay: false },
    });
    expect(parseStressArgs(['s.json', '--replay', '--days', '4'])).toMatchObject({ kind: 'run', args: { replay: true, days: 4 } });
    expect(parseStressArgs(['s.json', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([[[]], [['a.json', 'b.json']], [['s.json', '--runs', '0']], [['s.json', '--runs', '1e3']], [['s.json', '--seed', '-1']], [['s.json', '--out']], [['s.json', '--fast']], [['s.json', '--days', '3']], [['s.json', '--replay', '--days', '0']]])(
    'refuses %j',
    (argv) => {
      expect(() => parseStressArgs(argv)).toThrow(UsageError);
    },
  );
});

describe('stressMain', () => {
  it('prints the table, writes the report and the chart, and is reproducible by seed', () => {
    const a = run([scenario, '--runs', '50', '--seed', '5', '--out', dir]);
    expect(a.code).toBe(0);
    expect(a.out).toContain('scenario run-40-depth-0.3: 50 runs, seed 5');
    expect(a.out).toMatch(/^ {2}0 .* C /m);
    expect(a.err).not.toContain('runs ('); // no progress under 1000 runs
    const report = readFileSync(join(dir, 'run-40-depth-0.3.json'), 'utf8');
    expect(JSON.parse(report).runs).toBe(50);
    expect(readFileSync(join(dir, 'run-40-depth-0.3.svg'), 'utf8')).toMatch(/^<svg [^]*<\/svg>\n$/);
    const b = run([scenario, '--runs', '50', '--seed', '5', '--out', dir, '--json']);
    expect(JSON.parse(b.out)).toEqual(JSON.parse(report));
  });

  it('reports progress on stderr for long runs', () => {
    const r = run([scenario, '--runs', '1000', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toContain('stress: 100/1000 runs');
    expect(r.err).toContain('stress: 1000/1000 runs');
  });

  it('exits 2 naming the field of a bad scenario, and on bad usage or a missing file', () => {
    const bad = join(dir, 'bad.json');
    const s = JSON.parse(readFileSync(scenario, 'utf8')) as { ranges: Record<string, unknown> };
    writeFileSync(bad, JSON.stringify({ ...s, ranges: { ...s.ranges, depth: [0.9, 0.1] } }));
    const r = run([bad, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('ranges.depth');
    expect(run(['--runs', 'x', scenario]).code).toBe(2);
    expect(run([join(dir, 'missing.json')]).err).toContain('ENOENT');
    expect(run(['--help']).out).toContain('usage: npm run stress');
    expect(run(['--help']).out).toContain('--replay');
    // The pure entry does not drive chains: --replay belongs to npm run stress (devnet/stress.ts) and rwa stress.
    const replay = run([scenario, '--replay']);
    expect(replay.code).toBe(2);
    expect(replay.err).toContain('--replay drives the local stack');
  });
});

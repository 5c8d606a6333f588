import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stressMain } from '../liquidity/stress-main.js';
import { run } from './testkit.js';

const dir = mkdtempSync(join(tmpdir(), 'rwa-stress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = new URL('../liquidity/scenarios/run-40-depth-0.3.json', import.meta.url).pathname;

describe('rwa stress (issue 23, the stress command in the CLI)', () => {
  it('--help gives the usage, its flags and an example; the top help lists it', async () => {
    const r = await run(['stress', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: rwa stress <scenario.json> [flags]');
    expect(r.stdout).toMatch(/--seed <n> +seed of the generator/);
    expect(r.stdout).toMatch(/--out <dir> +where <scenario>\.json and <scenario>\.svg are written/);
    expect(r.stdout).toContain('Example: rwa stress liquidity/scenarios/');
    expect(r.stdout).toMatch(/--replay +then replay the scenario day by day on the running local stack/);
    expect(r.stdout).toMatch(/--days <n> +with --replay: only the first n days/);
    expect((await run(['--help'])).stdout).toMatch(/rwa stress <scenario\.json> +seeded Monte Carlo/);
  });

  it('prints the table, writes the report and chart to --out, and answers what npm run stress answers for the same seed', async () => {
    const out = join(dir, 'cli');
    const r = await run(['stress', scenario, '--seed', '5', '--runs', '50', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('scenario run-40-depth-0.3: 50 runs, seed 5');
    expect(r.stderr).toContain(`stress: wrote ${join(out, 'run-40-depth-0.3.json')}`);
    const written = JSON.parse(readFileSync(join(out, 'run-40-depth-0.3.json'), 'utf8')) as unknown;
    expect(readFileSync(join(out, 'run-40-depth-0.3.svg'), 'utf8')).toMatch(/^<svg [^]*<\/svg>\n$/);

    let npmOut = '';
    expect(stressMain([scenario, '--seed', '5', '--runs', '50', '--out', join(dir, 'npm'), '--json'], { out: (t) => (npmOut += t), err: () => undefined })).toBe(0);
    expect(written).toEqual(JSON.parse(npmOut));
    const json = await run(['stress', scenario, '--seed=5', '--runs=50', `--out=${out}`, '--json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { report: unknown }).report).toEqual(written);
    // Another seed, another draw.
    const other = await run(['stress', scenario, '--seed', '6', '--runs', '50', '--out', out, '--json']);
    expect((JSON.parse(other.stdout) as { report: unknown }).report).not.toEqual(written);
  });

  it('exits 2 on a missing scenario, a bad flag value, an unreadable file or a scenario field out of range (named)', async () => {
    expect((await run(['stress'])).stderr).toMatch(/a scenario file is required/);
    expect((await run(['stress'])).code).toBe(2);
    const seed = await run(['stress', scenario, '--seed', '-1', '--json']);
    expect(seed.code).toBe(2);
    expect(JSON.parse(seed.stdout)).toMatchObject({ error: { code: 'usage', field: 'seed' } });
    expect((await run(['stress', scenario, '--runs', '0'])).code).toBe(2);
    expect((await run(['stress', scenario, '--days', '3'])).stderr).toContain('--days needs --replay');
    expect((await run(['stress', scenario, '--replay', '--days', '0'])).code).toBe(2);
    const missing = await run(['stress', join(dir, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
    const bad = join(dir, 'bad.json');
    const s = JSON.parse(readFileSync(scenario, 'utf8')) as { ranges: Record<string, unknown> };
    writeFileSync(bad, JSON.stringify({ ...s, ranges: { ...s.ranges, depth: [0.9, 0.1] } }));
    const r = await run(['stress', bad, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ranges.depth');
  });
});

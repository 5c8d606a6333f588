import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportChart } from './chart.js';
import { runMonteCarlo } from './montecarlo.js';
import { reportTable } from './report-table.js';
import { bandsOf, parseScenario } from './scenario.js';

const docs = (file: string): string => readFileSync(new URL(`../docs/liquidity/${file}`, import.meta.url), 'utf8');

/** docs/liquidity/ shows what `npm run stress -- liquidity/scenarios/<name>.json --out docs/liquidity` prints today. */
describe.each(['tbill-run-30', 'tbill-run-60', 'run-40-depth-0.3'])('docs/liquidity/%s', (name) => {
  it('is the output of the shipped scenario with the default runs and seed (regenerate if this fails)', () => {
    const s = parseScenario(JSON.parse(readFileSync(new URL(`./scenarios/${name}.json`, import.meta.url), 'utf8')));
    const report = runMonteCarlo(s, { runs: 1_000, seed: 1 });
    expect(JSON.parse(docs(`${name}.json`))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(docs(`${name}.txt`)).toBe(reportTable(report));
    expect(docs(`${name}.svg`)).toBe(reportChart(report, bandsOf(s)));
  });
});

import { resolve } from 'node:path';
import { intFlag } from './args.js';
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { LiquidityInputError } from '../liquidity/errors.js';
import { STRESS_FLAGS, UsageError as StressUsageError } from '../liquidity/stress-args.js';
import { loadScenario, runStress } from '../liquidity/stress-main.js';

/**
 * `rwa stress <scenario.json>`: the liquidity stress test of `npm run stress` (liquidity/stress-main.ts runStress, the
 * same code), with the CLI's flags, exit codes and --json. Reads no service: it needs neither oracle nor chains.
 */
export const stressCommand: Command = {
  path: ['stress'],
  summary: 'seeded Monte Carlo liquidity stress test of a scenario: LCR, breaking point, stage per day, chart',
  usage: '<scenario.json>',
  positionals: 1,
  flags: [
    { name: 'seed', kind: 'value', placeholder: 'n', description: `seed of the generator, ${STRESS_FLAGS.seed.min}..${STRESS_FLAGS.seed.max} [${STRESS_FLAGS.seed.fallback}]; same seed, same report` },
    { name: 'runs', kind: 'value', placeholder: 'n', description: `number of runs, ${STRESS_FLAGS.runs.min}..${STRESS_FLAGS.runs.max} [${STRESS_FLAGS.runs.fallback}]` },
    { name: 'out', kind: 'value', placeholder: 'dir', description: `where <scenario>.json and <scenario>.svg are written [${STRESS_FLAGS.outDir}]` },
  ],
  details:
    'Prints the LCR distribution per day, the breaking point (the first day a cash gap opens) and the stage the\n' +
    "issuer's bands set each day; writes the report and its chart. The scenario's schema: liquidity/scenario.ts;\n" +
    'shipped scenarios: liquidity/scenarios/. An invalid scenario is a usage error naming the field (exit 2).',
  example: 'rwa stress liquidity/scenarios/run-40-depth-0.3.json --seed 7 --out stress-report',
  async run(ctx, args) {
    const path = args.positionals[0];
    if (path === undefined) throw new UsageError('a scenario file is required (<scenario.json>)');
    const runs = intFlag(args, 'runs', STRESS_FLAGS.runs);
    const seed = intFlag(args, 'seed', STRESS_FLAGS.seed);
    const outDir = resolve(args.values.get('out') ?? STRESS_FLAGS.outDir);
    let scenario;
    try {
      scenario = loadScenario(path);
    } catch (err) {
      if (err instanceof StressUsageError) throw new UsageError(err.message);
      if (err instanceof LiquidityInputError) throw new UsageError(`${path}: ${err.message}`);
      throw err;
    }
    const r = runStress({ runs, seed, outDir }, scenario, ctx.io.stderr);
    return { text: r.table.trimEnd(), json: { report: r.report, files: { json: r.jsonPath, svg: r.svgPath } } };
  },
};

import { resolve } from 'node:path';
import { intFlag } from './args.js';
import type { Command } from './command.js';
import { RefusedError, UsageError } from './errors.js';
import { runReplay } from './stress-replay.js';
import { ReplayError } from './stress-replay-chain.js';
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
    { name: 'replay', kind: 'switch', description: 'then replay the scenario day by day on the running local stack (npm start); writes <scenario>.replay.json' },
    { name: 'days', kind: 'value', placeholder: 'n', description: `with --replay: only the first n days, ${STRESS_FLAGS.days.min}..${STRESS_FLAGS.days.max} [the scenario's]` },
  ],
  details:
    'Prints the LCR distribution per day, the breaking point (the first day a cash gap opens) and the stage the\n' +
    "issuer's bands set each day; writes the report and its chart. The scenario's schema: liquidity/scenario.ts;\n" +
    'shipped scenarios: liquidity/scenarios/. An invalid scenario is a usage error naming the field (exit 2).\n' +
    "With --replay it then drives the local stack of --deployment and --oracle (npm start; DEV-ONLY keys, anvil's\n" +
    'clock): investors request on the spokes each day, the buy-back custodian reports, custodians fulfil what the\n' +
    'stage allows; it prints the stage, LCR and buy-back pool each chain showed beside the prediction, and each\n' +
    "investor's time to cash. Exit 1 when a chain showed a stage the run did not predict (docs/liquidity.md, Replay).",
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
    const replay = args.switches.has('replay');
    if (!replay && args.values.has('days')) throw new UsageError('--days needs --replay', 'days');
    const days = args.values.has('days') ? intFlag(args, 'days', STRESS_FLAGS.days) : undefined;
    const r = runStress({ runs, seed, outDir }, scenario, ctx.io.stderr);
    const files = { json: r.jsonPath, svg: r.svgPath };
    if (!replay) return { text: r.table.trimEnd(), json: { report: r.report, files } };
    let played;
    try {
      played = await runReplay(ctx.deployment(), ctx.oracleUrl, scenario, { runs, seed, outDir, ...(days !== undefined ? { days } : {}) }, ctx.io.stderr);
    } catch (err) {
      if (err instanceof ReplayError) throw new RefusedError(`replay: ${err.message}`, err.code);
      throw err;
    }
    if (!played.report.ok) {
      ctx.io.stderr(played.table);
      throw new RefusedError(`replay: a chain showed a stage the run did not predict (${played.report.mismatches.length} mismatch(es), ${played.jsonPath})`, 'replay_mismatch');
    }
    return { text: `${r.table}\n${played.table.trimEnd()}`, json: { report: r.report, replay: played.report, files: { ...files, replay: played.jsonPath } } };
  },
};

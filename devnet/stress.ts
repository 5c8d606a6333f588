import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LiquidityInputError } from '../liquidity/errors.js';
import { parseStressArgs, USAGE, UsageError, type StressArgs } from '../liquidity/stress-args.js';
import { loadScenario, runStress, stressMain, type Io } from '../liquidity/stress-main.js';
import type { Scenario } from '../liquidity/scenario.js';
import { runReplay } from '../cli/stress-replay.js';
import { bootstrapDemo } from './demo.js';
import { startStack } from './stack.js';

/**
 * `npm run stress -- scenario.json [...]`: the Monte Carlo of liquidity/stress-main.ts, and with `--replay` its replay
 * on a local three-chain stack this process starts (anvil hub and two spokes, three committee signers, oracle,
 * relayer; the devnet demo's DID, allow-list and reserve) and stops at the end. Exit code 1 when a chain showed a stage
 * the run did not predict.
 */
export async function stressReplayMain(argv: readonly string[], io: Io): Promise<number> {
  let args: StressArgs;
  let scenario: Scenario;
  try {
    const parsed = parseStressArgs(argv);
    if (parsed.kind === 'help' || !parsed.args.replay) return stressMain(argv, io);
    args = parsed.args;
    scenario = loadScenario(args.scenarioPath);
  } catch (err) {
    if (err instanceof UsageError || err instanceof LiquidityInputError) {
      io.err(`stress: ${err.message}\n${err instanceof UsageError ? `${USAGE}\n` : ''}`);
      return 2;
    }
    throw err;
  }
  const outDir = resolve(args.outDir);
  const mc = runStress({ runs: args.runs, seed: args.seed, outDir }, scenario, io.err);
  if (!args.json) io.out(mc.table);
  const dataDir = mkdtempSync(join(tmpdir(), 'rwa-replay-'));
  io.err('replay: starting the local stack (three anvil chains, three signers, oracle, relayer)\n');
  const stack = await startStack({ dataDir, logLevel: 'warn', signers: 3, onProgress: (step) => io.err(`replay: ${step}\n`) });
  try {
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
    const r = await runReplay(stack.deployment, stack.oracleUrl, scenario, { runs: args.runs, seed: args.seed, outDir, ...(args.days !== undefined ? { days: args.days } : {}) }, io.err);
    io.out(args.json ? `${JSON.stringify({ stress: mc.report, replay: r.report }, null, 2)}\n` : `\n${r.table}`);
    return r.report.ok ? 0 : 1;
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  stressReplayMain(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`stress: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

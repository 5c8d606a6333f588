/** The command line of `npm run stress`: parsed here, at the edge; a UsageError is exit code 2. */
export interface StressArgs {
  scenarioPath: string;
  runs: number;
  seed: number;
  json: boolean;
  outDir: string;
  /** Drive the local three-chain stack day by day (devnet/stress.ts) instead of printing the Monte Carlo only. */
  replay: boolean;
  /** Replay only the first N days of the scenario. */
  days?: number;
}

/** The ranges and defaults of the flags, shared with the `rwa stress` command (cli/stress.ts). */
export const STRESS_FLAGS = {
  runs: { min: 1, max: 100_000, fallback: 1_000 },
  seed: { min: 0, max: 4_294_967_295, fallback: 1 },
  outDir: 'stress-report',
  days: { min: 1, max: 365 },
} as const;

export type ParsedArgs = { kind: 'help' } | { kind: 'run'; args: StressArgs };

export const USAGE = `usage: npm run stress -- <scenario.json> [--runs N] [--seed S] [--json] [--out DIR] [--replay [--days N]]

Runs a seeded Monte Carlo liquidity stress test of the pool the scenario describes (docs/liquidity.md) and prints
the LCR distribution, the breaking point and the stage the policy sets each day. With --replay it then plays the
scenario's midpoint run on a local three-chain stack (anvil hub and two spokes, oracle, signers, relayer) it
starts: one day per step, investors on the spokes request, custodians fulfil what the stage allows, the buy-back
custodian reports each day; it prints per day the stage, LCR and buy-back pool each chain showed beside the
prediction, and each investor's time to cash.

  <scenario.json>  the scenario (schema: liquidity/scenario.ts; examples: liquidity/scenarios/)
  --runs N         number of runs, 1..100000 (default 1000)
  --seed S         seed of the generator, an integer 0..4294967295 (default 1); same seed, same report
  --json           print the report as JSON instead of the table
  --out DIR        where to write <scenario>.json and <scenario>.svg (default ./stress-report)
  --replay         drive the local stack day by day; writes <scenario>.replay.json beside the report
  --days N         with --replay: replay only the first N days, 1..365 (default: the scenario's days)
  --help           this text

Exit codes: 0 done, 1 unexpected failure (with --replay: also a chain showed a stage the run did not predict),
2 bad usage or an invalid scenario (the message names the field).`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseStressArgs(argv: readonly string[]): ParsedArgs {
  const args: Partial<StressArgs> & { json: boolean; replay: boolean } = { json: false, replay: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return { kind: 'help' };
    else if (a === '--json') args.json = true;
    else if (a === '--replay') args.replay = true;
    else if (a === '--days') args.days = integer('--days', value(), STRESS_FLAGS.days.min, STRESS_FLAGS.days.max);
    else if (a === '--runs') args.runs = integer('--runs', value(), STRESS_FLAGS.runs.min, STRESS_FLAGS.runs.max);
    else if (a === '--seed') args.seed = integer('--seed', value(), STRESS_FLAGS.seed.min, STRESS_FLAGS.seed.max);
    else if (a === '--out') args.outDir = value();
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (args.days !== undefined && !args.replay) throw new UsageError('--days needs --replay');
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'a scenario file is required' : 'exactly one scenario file, please');
  return {
    kind: 'run',
    args: { scenarioPath: positional[0]!, runs: args.runs ?? STRESS_FLAGS.runs.fallback, seed: args.seed ?? STRESS_FLAGS.seed.fallback, json: args.json, outDir: args.outDir ?? STRESS_FLAGS.outDir, replay: args.replay, ...(args.days !== undefined ? { days: args.days } : {}) },
  };
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag}: expected an integer from ${min} to ${max}`);
  return n;
}

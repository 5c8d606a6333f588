import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { reportChart } from './chart.js';
import { LiquidityInputError } from './errors.js';
import { runMonteCarlo, type StressReport } from './montecarlo.js';
import { reportTable } from './report-table.js';
import { bandsOf, parseScenario, type Scenario } from './scenario.js';
import { parseStressArgs, USAGE, UsageError, type StressArgs } from './stress-args.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs at or above this count report progress on stderr, every tenth of the way. */
const PROGRESS_FROM = 1_000;

/** `npm run stress -- scenario.json [...]`: returns the exit code (0 done, 1 unexpected, 2 usage or bad scenario). */
export function stressMain(argv: readonly string[], io: Io): number {
  let parsed;
  let scenario: Scenario;
  try {
    parsed = parseStressArgs(argv);
    if (parsed.kind === 'help') {
      io.out(`${USAGE}\n`);
      return 0;
    }
    scenario = loadScenario(parsed.args.scenarioPath);
    // The replay needs the local stack, which liquidity/ (pure) does not import: devnet/stress.ts runs it.
    if (parsed.args.replay) throw new UsageError('--replay drives the local stack: run it as npm run stress (devnet/stress.ts) or rwa stress');
  } catch (err) {
    if (err instanceof UsageError || err instanceof LiquidityInputError) {
      io.err(`stress: ${err.message}\n${err instanceof UsageError ? `${USAGE}\n` : ''}`);
      return 2;
    }
    throw err;
  }
  const r = runStress(parsed.args, scenario, io.err);
  io.out(parsed.args.json ? `${JSON.stringify(r.report, null, 2)}\n` : r.table);
  return 0;
}

export interface StressRun {
  report: StressReport;
  /** The report as the table the command prints. */
  table: string;
  jsonPath: string;
  svgPath: string;
}

/**
 * Runs the Monte Carlo of a parsed scenario and writes `<name>.json` and `<name>.svg` into `args.outDir`; progress
 * and the paths written go to `progress` (stderr). Shared by `npm run stress` and `rwa stress` (cli/stress.ts).
 */
export function runStress(args: Pick<StressArgs, 'runs' | 'seed' | 'outDir'>, scenario: Scenario, progress: (text: string) => void): StressRun {
  const { runs, seed, outDir } = args;
  const step = Math.max(1, Math.ceil(runs / 10));
  const started = Date.now();
  const report: StressReport = runMonteCarlo(scenario, {
    runs,
    seed,
    onProgress: (done) => {
      if (runs >= PROGRESS_FROM && (done % step === 0 || done === runs)) progress(`stress: ${done}/${runs} runs (${Date.now() - started} ms)\n`);
    },
  });
  mkdirSync(outDir, { recursive: true });
  const jsonPath = join(outDir, `${scenario.name}.json`);
  const svgPath = join(outDir, `${scenario.name}.svg`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(svgPath, reportChart(report, bandsOf(scenario)));
  progress(`stress: wrote ${jsonPath} and ${svgPath}\n`);
  return { report, table: reportTable(report), jsonPath, svgPath };
}

/** The scenario in a JSON file, parsed; throws UsageError (unreadable, not JSON) or LiquidityInputError (naming the field). */
export const loadScenario = (path: string): Scenario => parseScenario(readJson(path));

/** Read and parse a JSON file; a missing or malformed file is the caller's input error, naming the path. */
function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${path} is not JSON: ${(err as Error).message}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = stressMain(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
}

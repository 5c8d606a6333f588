/** The command line of the block-time bench (`npm run bench [-- options]`), parsed at the edge. */

export interface BlocksOptions {
  /** Block times in seconds, in the order run; 0 = automine (a block per transaction). */
  blockTimes: number[];
  /** Settlements posted per round (load part). */
  settlements: number;
  /** Concurrent custodian clients posting them. */
  clients: number;
  /** DIDs the settlements are spread over (the demo DID and D-1 more registered for the bench). */
  dids: number;
  /** Per-round deadline (s): past it the round reports what it reached, flagged partial. */
  roundTimeoutS: number;
  /** Isolated settlements per round (one at a time while the relayer is idle). */
  isolated: number;
  json: boolean;
  /** The peers' figures (markdown); default ../shared/anchors.md beside the repository. */
  anchorsPath?: string;
}

export class BenchArgError extends Error {
  override readonly name = 'BenchArgError';
}

export const BLOCKS_USAGE = `Usage: npm run bench [-- options]
The block-time bench (default): the stack of \`npm start\` (3 anvil chains, 3 committee signer processes, oracle,
relayer; hub and spoke-a CCTP-style, spoke-b Wormhole), its chains switched between rounds to interval mining.
Per block time: settlements/s accepted and applied, POST -> applied latency, isolated settlement latency in blocks,
relayer gas per settlement, each against the limit (block gas limit / gas per settlement / block time).
  --block-time S[,S...]  block times in seconds, 0 = automine                          [0,2,12]
  --settlements N        settlements per round                                          [300]
  --clients C            concurrent custodian clients                                   [16]
  --dids D               DIDs the settlements are spread over                           [1]
  --round-timeout T      seconds per round before it reports what it reached (partial)  [120]
  --isolated K           isolated settlements per round (one alone, relayer idle)       [5]
  --anchors PATH         the peers' figures                                             [../shared/anchors.md]
  --json                 the report as JSON on stdout (progress stays on stderr)
  --help                 this text
Other modes: --per-transport [--quorum] (latency per transport, automine), --read-flood [--rounds N].
`;

const DEFAULTS: BlocksOptions = { blockTimes: [0, 2, 12], settlements: 300, clients: 16, dids: 1, roundTimeoutS: 120, isolated: 5, json: false };

function integer(name: string, raw: string, min: number, max: number): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new BenchArgError(`--${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function blockTimes(raw: string): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  const out: number[] = [];
  for (const p of parts) {
    const n = /^\d+$/.test(p) ? Number(p) : NaN;
    if (!Number.isSafeInteger(n) || n > 3600) throw new BenchArgError(`--block-time: expected comma-separated whole seconds from 0 (automine) to 3600, got "${raw}"`);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

type Setter = (o: BlocksOptions, raw: string) => void;
const VALUED: Record<string, Setter> = {
  'block-time': (o, raw) => (o.blockTimes = blockTimes(raw)),
  settlements: (o, raw) => (o.settlements = integer('settlements', raw, 1, 1_000_000)),
  clients: (o, raw) => (o.clients = integer('clients', raw, 1, 1024)),
  dids: (o, raw) => (o.dids = integer('dids', raw, 1, 32)),
  'round-timeout': (o, raw) => (o.roundTimeoutS = integer('round-timeout', raw, 1, 86_400)),
  isolated: (o, raw) => (o.isolated = integer('isolated', raw, 0, 1000)),
  anchors: (o, raw) => (o.anchorsPath = raw),
};

/** Parses the options after `npm run bench --`; 'help' for --help/-h; throws BenchArgError on anything else it cannot read. */
export function parseBlocksArgs(argv: readonly string[]): BlocksOptions | 'help' {
  const o: BlocksOptions = { ...DEFAULTS, blockTimes: [...DEFAULTS.blockTimes] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') {
      o.json = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const setter = m ? VALUED[m[1]!] : undefined;
    if (!m || !setter) throw new BenchArgError(`unknown option "${arg}"`);
    let raw = m[2];
    if (raw === undefined) {
      raw = argv[i + 1];
      if (raw === undefined || raw.startsWith('--')) throw new BenchArgError(`--${m[1]}: a value is required`);
      i++;
    }
    setter(o, raw);
  }
  if (o.blockTimes.length === 0) throw new BenchArgError('--block-time: at least one block time is required');
  return o;
}

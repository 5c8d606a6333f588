/**
 * `npm run status -- --deployment <file> --relayer <url> [--oracle <url>] [--host] [--port] [--refresh-ms]`: the
 * command line, parsed once at start (node:util parseArgs, strict). A bad value is a ConfigError naming the option.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../common/config-error.js';

export const HELP = `npm run status -- [options]: the live status page for operators

Serves one page (and the JSON it polls, GET /v1/status) showing, per DID and per chain: the NAV round and its age,
supply against the cap, the redemption stage, the relayer's queue depth, parked and dead jobs, and the recent
deliveries with their transport. Reads the chains of the deployment file and the relayer's status API.

Options:
  --deployment <file>   deployment JSON (schemas/deployment.ts)             [data/deployment.json]
  --relayer <url>       the relayer's status API                            [http://127.0.0.1:8090]
  --oracle <url>        the oracle's API: adds its feed backlog (optional)
  --host <host>         address to listen on                                [127.0.0.1]
  --port <port>         port to listen on (0: a free one)                   [8070]
  --refresh-ms <ms>     how often the view is rebuilt (200..60000)          [1000]
  --timeout-ms <ms>     per RPC call or HTTP request (100..60000)           [3000]
  --log-level <level>   pino level                                          [info]
  -h, --help            this text
`;

export interface StatusConfig {
  deploymentPath: string;
  relayerUrl: string;
  oracleUrl: string | undefined;
  host: string;
  port: number;
  refreshMs: number;
  timeoutMs: number;
  logLevel: string;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function httpUrl(option: string, raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch (err) {
    throw new ConfigError(`--${option}: not a URL: ${raw}`, { cause: err });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`--${option}: expected an http(s) URL, got ${raw}`);
  return raw.replace(/\/+$/, '');
}

function intIn(option: string, raw: string, min: number, max: number): number {
  const n = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= min && n <= max)) throw new ConfigError(`--${option}: expected an integer ${min}..${max}, got ${raw}`);
  return n;
}

/** The options, or 'help' when --help was asked. */
export function parseStatusArgs(argv: readonly string[]): StatusConfig | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        deployment: { type: 'string', default: 'data/deployment.json' },
        relayer: { type: 'string', default: 'http://127.0.0.1:8090' },
        oracle: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8070' },
        'refresh-ms': { type: 'string', default: '1000' },
        'timeout-ms': { type: 'string', default: '3000' },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new ConfigError(`${err instanceof Error ? err.message : String(err)} (see --help)`, { cause: err });
  }
  if (values.help) return 'help';
  if (!LEVELS.includes(values['log-level'])) throw new ConfigError(`--log-level: expected one of ${LEVELS.join(', ')}`);
  return {
    deploymentPath: values.deployment,
    relayerUrl: httpUrl('relayer', values.relayer),
    oracleUrl: values.oracle === undefined ? undefined : httpUrl('oracle', values.oracle),
    host: values.host,
    port: intIn('port', values.port, 0, 65535),
    refreshMs: intIn('refresh-ms', values['refresh-ms'], 200, 60_000),
    timeoutMs: intIn('timeout-ms', values['timeout-ms'], 100, 60_000),
    logLevel: values['log-level'],
  };
}

import { resolve } from 'node:path';
import { readDeploymentFile } from '../common/deployment-file.js';
import type { Deployment } from '../schemas/deployment.js';
import { didHash, parseDid, type DidHash } from '../schemas/ids.js';
import type { ParsedArgs } from './args.js';
import { UsageError } from './errors.js';

/** What a command prints: the text for people and the document for `--json`. */
export interface Output {
  text: string;
  json: unknown;
}

/** Where the CLI reads and writes: the process's streams, made replaceable for tests. */
export interface Io {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** All of standard input (keys import); undefined when it is a terminal. */
  readStdin: () => Promise<string | undefined>;
  /** Asks on the terminal without echo; undefined when there is no terminal. */
  promptSecret?: (question: string) => Promise<string>;
}

/** The settings of one run: flags first, then RWA_* environment variables, then the devnet's defaults. */
export interface Context {
  oracleUrl: string;
  relayerUrl: string;
  deploymentPath: string;
  json: boolean;
  io: Io;
  /** The deployment file, read and validated on first use. */
  deployment(): Deployment;
}

const url = (raw: string, flag: string): string => {
  try {
    new URL(raw);
  } catch {
    throw new UsageError(`--${flag}: not a URL: ${raw}`, flag);
  }
  return raw.replace(/\/+$/, '');
};

export function contextOf(args: ParsedArgs, io: Io): Context {
  const deploymentPath = resolve(args.values.get('deployment') ?? io.env.RWA_DEPLOYMENT ?? 'data/deployment.json');
  let cached: Deployment | undefined;
  return {
    oracleUrl: url(args.values.get('oracle') ?? io.env.RWA_ORACLE_URL ?? 'http://127.0.0.1:8080', 'oracle'),
    relayerUrl: url(args.values.get('relayer') ?? io.env.RWA_RELAYER_URL ?? 'http://127.0.0.1:8090', 'relayer'),
    deploymentPath,
    json: args.switches.has('json'),
    io,
    deployment() {
      if (cached) return cached;
      const r = readDeploymentFile(deploymentPath, '--deployment');
      if (!r.ok) throw new UsageError(`${r.message} (start the devnet with npm start, or pass --deployment / RWA_DEPLOYMENT)`, 'deployment');
      cached = r.deployment;
      return cached;
    },
  };
}

/** The DID a command is about: --did, or the deployment's first DID (the devnet's demo DID). */
export function didOf(ctx: Context, args: ParsedArgs): string {
  const flag = args.values.get('did');
  if (flag) return flag;
  const first = ctx.deployment().dids[0];
  if (!first) throw new UsageError('missing --did (the deployment lists no DID)', 'did');
  return first.did;
}

/** A chain of the deployment by name (`spoke-a`) or EVM chain id (`31338`). */
export function chainOf(ctx: Context, value: string, flag: string) {
  const d = ctx.deployment();
  const c = d.chains.find((x) => x.name === value || String(x.chainId) === value);
  if (!c) throw new UsageError(`--${flag}: no chain ${value} in ${ctx.deploymentPath} (${d.chains.map((x) => `${x.name} ${x.chainId}`).join(', ')})`, flag);
  return c;
}

/** The DID and its on-chain key (keccak256), the DID checked against the DID pattern. */
export function didKeyOf(ctx: Context, args: ParsedArgs): { did: string; hash: DidHash } {
  const did = didOf(ctx, args);
  try {
    return { did, hash: didHash(parseDid(did)) };
  } catch {
    throw new UsageError(`--did: not an RWA DID: ${did}`, 'did');
  }
}

import type { Command } from './command.js';
import type { Context, Output } from './context.js';
import { UsageError } from './errors.js';
import { call, ok, postJson, refusal } from './http.js';

interface DeadLetter {
  jobId: number;
  attestationId: string;
  chainId: number;
  transport: string;
  attempts: number;
  lastError?: string | null;
}

export const deadLettersCommand: Command = {
  path: ['dead-letters'],
  summary: "the relayer's dead-lettered delivery jobs (given up: retrying could not help)",
  flags: [],
  example: 'rwa dead-letters --json',
  async run(ctx: Context): Promise<Output> {
    const { items } = ok<{ items: DeadLetter[] }>(await call(`${ctx.relayerUrl}/v1/dead-letters`), 'relayer dead letters', ctx.relayerUrl);
    const lines = items.length === 0 ? ['no dead letters'] : items.map((j) => `job ${j.jobId}  chain ${j.chainId}  ${j.transport}  attestation ${j.attestationId}  attempts ${j.attempts}  ${j.lastError ?? ''}`);
    return { text: lines.join('\n'), json: { items } };
  },
};

export const retryCommand: Command = {
  path: ['retry'],
  summary: 'put a dead-lettered job back in the relayer queue (POST /v1/dead-letters/<jobId>/retry; token from RWA_RELAYER_TOKEN)',
  usage: '<jobId>',
  positionals: 1,
  flags: [],
  details: "The relayer takes it only with its RELAYER_ADMIN_TOKEN as a bearer token: set RWA_RELAYER_TOKEN to it (never on the command line).",
  example: 'RWA_RELAYER_TOKEN=... rwa retry 42',
  async run(ctx: Context, args): Promise<Output> {
    const raw = args.positionals[0];
    if (!raw) throw new UsageError('missing <jobId>', 'jobId');
    if (!/^[1-9]\d{0,15}$/.test(raw)) throw new UsageError(`<jobId>: expected a job number, got ${raw}`, 'jobId');
    const token = ctx.io.env.RWA_RELAYER_TOKEN;
    if (!token) throw new UsageError("set RWA_RELAYER_TOKEN to the relayer's RELAYER_ADMIN_TOKEN", 'RWA_RELAYER_TOKEN');
    const a = await postJson(`${ctx.relayerUrl}/v1/dead-letters/${raw}/retry`, {}, { authorization: `Bearer ${token}` });
    if (a.status !== 200) throw refusal(a, `retry of job ${raw}`, ctx.relayerUrl);
    return { text: `job ${raw} is back in the queue`, json: a.json };
  },
};

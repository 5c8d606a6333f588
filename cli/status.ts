import { intFlag, type ParsedArgs } from './args.js';
import type { Command } from './command.js';
import type { Context, Output } from './context.js';
import { call, ok } from './http.js';
import { UnreachableError, UsageError } from './errors.js';
import { pollUntil } from './poll.js';

interface OracleStatus {
  id: string;
  did: string;
  kind: string;
  nonce: string;
  createdAt: string;
  delivery: { chainId: number; state: 'applied' | 'queued' | 'pending' | 'unknown'; quorum?: unknown }[];
}

interface RelayerDelivery {
  chainId: number;
  transport: string;
  state: string;
  txHash: string | null;
  attempts: number;
  lastError?: string | null;
  note?: string | null;
}

/** The oracle's view (applied per chain) and the relayer's jobs (per chain and transport) of one attestation. */
async function statusOf(ctx: Context, id: string): Promise<{ attestation: OracleStatus; deliveries: RelayerDelivery[] | null }> {
  const attestation = ok<OracleStatus>(await call(`${ctx.oracleUrl}/v1/attestations/${id}`), `attestation ${id}`, ctx.oracleUrl);
  // The relayer may be elsewhere or down: the oracle's answer still stands, its part is shown as unknown.
  let deliveries: RelayerDelivery[] | null = null;
  try {
    const r = await call(`${ctx.relayerUrl}/v1/deliveries/${id}`);
    if (r.status === 404) deliveries = [];
    else deliveries = ok<{ deliveries: RelayerDelivery[] }>(r, 'relayer deliveries', ctx.relayerUrl).deliveries;
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    ctx.io.stderr(`warning: ${err.message} (relayer deliveries not shown)\n`);
  }
  return { attestation, deliveries };
}

const allApplied = (a: OracleStatus) => a.delivery.length > 0 && a.delivery.every((d) => d.state === 'applied');

function text(s: { attestation: OracleStatus; deliveries: RelayerDelivery[] | null }, names: Map<number, string>): string {
  const a = s.attestation;
  const lines = [`${a.kind} ${a.id}  ${a.did}  nonce ${a.nonce}  created ${a.createdAt}`];
  for (const d of a.delivery) {
    const jobs = (s.deliveries ?? []).filter((j) => j.chainId === d.chainId);
    const relay = s.deliveries === null ? 'relayer unknown' : jobs.length === 0 ? 'no relayer job yet' : jobs.map((j) => `${j.transport} ${j.state}${j.txHash ? ` tx ${j.txHash}` : ''}${j.lastError ? ` (${j.lastError})` : ''}`).join('; ');
    lines.push(`  ${(names.get(d.chainId) ?? '').padEnd(8)} ${String(d.chainId).padEnd(6)} ${d.state.padEnd(8)} ${relay}`);
  }
  return lines.join('\n');
}

export const statusCommand: Command = {
  path: ['status'],
  summary: "an attestation's state on every chain (oracle) and its deliveries (relayer)",
  usage: '<attestationId>',
  positionals: 1,
  flags: [
    { name: 'wait', kind: 'switch', description: 'wait until every chain applied it (exit 3 at the timeout)' },
    { name: 'timeout', kind: 'value', placeholder: 'seconds', description: 'how long --wait waits [120]' },
  ],
  example: 'rwa status 0x3f0c...e1 --wait',
  async run(ctx: Context, args: ParsedArgs): Promise<Output> {
    const id = args.positionals[0];
    if (!id) throw new UsageError('missing <attestationId>', 'attestationId');
    if (!/^0x[0-9a-fA-F]{64}$/.test(id)) throw new UsageError(`<attestationId>: expected 32-byte hex, got ${id}`, 'attestationId');
    const timeoutMs = intFlag(args, 'timeout', { min: 1, max: 3600, fallback: 120 }) * 1000;
    const s = await pollUntil(() => statusOf(ctx, id), (v) => !args.switches.has('wait') || allApplied(v.attestation), timeoutMs, (last) => {
      throw new UnreachableError(`${id} not applied on every chain after ${timeoutMs / 1000} s:\n${text(last, new Map())}`, ctx.oracleUrl);
    });
    let names = new Map<number, string>();
    try {
      names = new Map(ctx.deployment().chains.map((c) => [c.chainId, c.name]));
    } catch (err) {
      if (!(err instanceof UsageError)) throw err; // no deployment file at hand: chain ids alone
    }
    return { text: text(s, names), json: { ...s, applied: allApplied(s.attestation) } };
  },
};


/**
 * `npm run bench`: figures on the local three-chain stack (real anvil chains, real oracle and relayer processes).
 * By default (no mode flag) the block-time bench of bench/blocks.ts: per block time (`--block-time 0,2,12`, anvil
 * interval mining; 0 = automine) settlements/s accepted and applied, latency, relayer gas, against the chain's limit.
 * With --per-transport (or --quorum), the per-transport figures under automine:
 * - oracle: settlements accepted per second and POST latency (p50/p99), custodian signature to 201;
 * - delivery: latency from POST 201 to applied on chain (p50/p99), per transport (hub CCTP-style, spoke-a over CCIP,
 *   spoke-b over Wormhole VAAs);
 * - gas: receipt gasUsed of receiveMessage for a subscription and a NAV (2-of-3 quorum), as a relayer pays it.
 * With --quorum, spoke-b also gets a CCIP lane and the demo DID requires 2 of {cctp, ccip, wormhole} there: its
 * latency is that of a 2-of-3 transport quorum.
 * With --read-flood, it measures instead what readers cost the writers: the same write load alone, then under 64
 * anonymous clients reading the public routes as fast as answers come (honouring 429 Retry-After), side by side.
 * Usage: npm run bench -- --help
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, parseEventLogs, type Address, type Hex } from 'viem';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { postJson } from '../clients/custodian.js';
import { startStack } from '../devnet/stack.js';
import { bootstrapDemo, demoNav, demoSubscription, DEMO_INVESTORS } from '../devnet/demo.js';
import { waitFor } from '../testkit/wait.js';
import { requireTransportQuorum } from '../devnet/quorum.js';
import { postSettlements, quantile, readFloodBench } from './reads.js';
import { BenchArgError, BLOCKS_USAGE, parseBlocksArgs } from './blocks-args.js';
import { renderReport, reportJson, runBlocksBench } from './blocks.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

const USAGE = `Usage: npm run bench -- --per-transport | --quorum | --read-flood [options]
Figures on the local three-chain stack (real anvil chains, oracle and relayer processes), automine.
  --per-transport   delivery latency per transport (hub CCTP-style, spoke-a CCIP, spoke-b Wormhole) and gas
  --settlements N   settlements per measurement (per column with --read-flood)   [200]
  --signers N       committee signer processes (2-of-3 with 3); 0 = keys held by the oracle   [0]
  --clients N       concurrent custodian clients posting settlements   [8]
  --quorum          spoke-b also gets a CCIP lane and the demo DID requires 2 of {cctp, ccip, wormhole} there
  --read-flood      the write load alone and under 64 anonymous readers of the public routes, side by side
  --rounds N        with --read-flood: rounds in ABBA order (alone+flood, flood+alone, ...) summed per column;
                    an even N gives both columns the same store sizes   [1]
  --help            this text
`;
const KNOWN = ['--settlements', '--signers', '--clients', '--per-transport', '--quorum', '--read-flood', '--rounds', '--help', '-h'];
const MODES = ['--per-transport', '--quorum', '--read-flood'];

/** The default mode: the block-time bench (bench/blocks.ts). */
async function blocks(argv: readonly string[]): Promise<void> {
  let opts;
  try {
    opts = parseBlocksArgs(argv);
  } catch (err) {
    if (!(err instanceof BenchArgError)) throw err;
    process.stderr.write(`bench: ${err.message}\n${BLOCKS_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (opts === 'help') {
    process.stdout.write(`${BLOCKS_USAGE}\n${USAGE}`);
    return;
  }
  const report = await runBlocksBench(opts);
  process.stdout.write(opts.json ? `${reportJson(report)}\n` : renderReport(report));
}

async function main(): Promise<void> {
  if (!process.argv.slice(2).some((a) => MODES.includes(a))) return blocks(process.argv.slice(2));
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const unknown = process.argv.slice(2).filter((a) => a.startsWith('-') && !KNOWN.includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown option ${unknown.join(' ')}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const n = arg('settlements', 200);
  const quorum = process.argv.includes('--quorum');
  const signers = arg('signers', 0);
  const posters = arg('clients', 8);
  process.stdout.write(`bench: starting the stack (3 anvil chains, oracle, relayer${signers > 0 ? `, ${signers} committee signers` : ''})${quorum ? ', 2-of-3 transport quorum on spoke-b' : ''}\n`);
  // The hub CCTP-style, spoke-a over a local CCIP 2.0 lane, spoke-b over Wormhole VAAs: latency per transport.
  const stack = await startStack({
    dataDir: mkdtempSync(join(tmpdir(), 'rwa-bench-')),
    logLevel: 'warn',
    ...(signers > 0 ? { signers } : {}),
    ccipSpokes: ['spoke-a'],
    wormholeSpokes: ['spoke-b'],
    ...(quorum ? { ccipLanesOnly: ['spoke-b'] } : {}),
  });
  try {
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
    if (process.argv.includes('--read-flood')) {
      process.stdout.write(await readFloodBench(stack, n, arg('rounds', 1)));
      return;
    }
    const d = stack.deployment;
    const spokeB = d.chains.find((c) => c.name === 'spoke-b')!;
    if (quorum) await requireTransportQuorum(d, d.dids[0]!.didHash as Hex, spokeB, 2, 7);
    const now = Math.floor(Date.now() / 1000);
    const bodies = await Promise.all(
      Array.from({ length: n }, (_, i) => demoSubscription(d, d.chains[i % d.chains.length]!.chainId, `BENCH-${i}`, 1_000n + BigInt(i), now - 10, DEMO_INVESTORS[i % DEMO_INVESTORS.length]!)),
    );
    const { postMs, accepted, seconds: postSeconds } = await postSettlements(stack.oracleUrl, bodies, posters);

    // Delivery latency: poll each chain's receiver for applied nonces, stamping the first time each is seen.
    const appliedAt = new Map<string, number>();
    const clients = new Map(d.chains.map((c) => [c.chainId, { client: createPublicClient({ transport: http(c.rpcUrl) }), receiver: c.receiver as Address }]));
    await waitFor(
      async () => {
        await Promise.all(
          accepted
            .filter((a) => !appliedAt.has(a.id))
            .map(async (a) => {
              const c = clients.get(a.chainId)!;
              const used = await c.client.readContract({ address: c.receiver, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [a.didHash, a.nonce] });
              if (used) appliedAt.set(a.id, Date.now());
            }),
        );
        return appliedAt.size === accepted.length;
      },
      { what: 'all settlements applied', timeoutMs: 600_000 },
    );
    const transportOf = new Map(d.chains.map((c) => [c.chainId, quorum && c.chainId === spokeB.chainId ? 'quorum 2 of 3' : (c.transport ?? 'cctp')]));
    const latency = (t: string) => accepted.filter((a) => transportOf.get(a.chainId) === t).map((a) => (appliedAt.get(a.id) ?? NaN) - a.at);

    // Gas as paid by the relayer: receipts of its receiveMessage transactions.
    // A pipelined relayer may carry several attestations in that transaction: its gas is shared among them.
    const gasOf = async (id: Hex) => {
      const rel = (await (await fetch(`${stack.relayerUrl}/v1/deliveries/${id}`)).json()) as { deliveries: { chainId: number; txHash: Hex | null }[] };
      const dl = rel.deliveries[0]!;
      const receipt = await clients.get(dl.chainId)!.client.getTransactionReceipt({ hash: dl.txHash! });
      const applied = parseEventLogs({ abi: rwaReceiverAbi, logs: receipt.logs, eventName: ['SettlementApplied', 'NavApplied'] }).length;
      return applied > 1 ? `${receipt.gasUsed / BigInt(applied)} (a transaction of ${applied}: ${receipt.gasUsed})` : String(receipt.gasUsed);
    };
    const cctpItem = [...accepted].reverse().find((a) => transportOf.get(a.chainId) === 'cctp')!;
    const subGas = await gasOf(cctpItem.id);
    const navRes = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(d, 100_100_000n, now - 5));
    const navId = (navRes.json as { id: Hex }).id;
    await waitFor(async () => {
      const s = (await (await fetch(`${stack.oracleUrl}/v1/attestations/${navId}`)).json()) as { delivery: { state: string }[] };
      return s.delivery.every((x) => x.state === 'applied');
    }, { what: 'NAV applied', timeoutMs: 60_000 });
    const navGas = await gasOf(navId); // the hub's delivery (first by chain id): CCTP-style

    const lines = [
      '',
      `oracle: ${n} settlements in ${postSeconds.toFixed(2)} s = ${(n / postSeconds).toFixed(1)} /s (${posters} concurrent custodian clients${signers > 0 ? `, ${signers} signers` : ''})`,
      `oracle POST latency: p50 ${fmt(quantile(postMs, 0.5))}, p99 ${fmt(quantile(postMs, 0.99))}`,
      ...[...new Set(transportOf.values())].map((t) => {
        const xs = latency(t);
        return `delivery latency (201 -> applied on chain, ${t}, ${xs.length} settlements): p50 ${fmt(quantile(xs, 0.5))}, p99 ${fmt(quantile(xs, 0.99))}`;
      }),
      `gas (receipt, 2-of-3): subscription to an existing holder ${subGas}, NAV round ${navGas}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

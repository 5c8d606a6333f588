import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { keccak256, stringToBytes, type Address } from 'viem';
import pino from 'pino';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_THRESHOLD, DEV_SIGNERS_VALID_UNTIL, devReceiverArgs } from '../schemas/dev-keys.js';
import { attestationId, encodeMessage, type AttestationMessage } from '../schemas/message.js';
import { startAnvil, type AnvilChain } from '../devnet/anvil.js';
import { openDb } from '../common/sqlite.js';
import { buildContracts, clients, committee, committeeSigners, deliver, deploy, type Unnumbered } from '../testkit/anvil-chain.js';
import { CHAINS, DID, DID_HASH, INVESTOR, NOW, tempDb } from '../testkit/committee.js';
import * as schema from './store/schema.js';
import { Outbox } from './store/outbox.js';
import { ChainWorker } from './worker.js';
import { createMetrics } from './metrics.js';
import { DEFAULT_BACKOFF, DID_WAIT_BACKOFF, PARK_BACKOFF } from './retry.js';
import { NonceManager } from './nonces.js';
import { CctpTransport } from './transports/cctp.js';
import { appliedByReader } from './transports/applied-by.js';
import { quorumArrivals } from './transports/destination.js';

/**
 * Chain test (issue 24 review, finding 2): the oracle decides a settlement's signature count from the amount line it
 * attested (kind 14), not the one the chain holds. When the chain still holds an older, lower line (the newer brakes
 * not applied there yet), the real receiver refuses the settlement with `LargeAmountNeedsThreshold`. The relayer must
 * hold it for its DID and deliver it once the brakes land, never dead-letter it.
 */
const SPOKE = CHAINS.find((c) => c.chainId === 31338)!;
const LINE = 1_000_000n;
const AMOUNT = 5_000_000n;

let anvil: AnvilChain;
let receiver: Address;

const brakes = (largeAmount: bigint, largeThreshold: number): Unnumbered => ({
  kind: 'brakes', chainId: BigInt(SPOKE.chainId), mintCapacity: 0n, mintRefillPerSecond: 0n, burnCapacity: 0n, burnRefillPerSecond: 0n, largeAmount, largeThreshold,
});

describe('a settlement refused by an amount line the chain holds and the oracle no longer attests, on anvil', () => {
  beforeAll(async () => {
    buildContracts();
    anvil = await startAnvil('brakes-line', SPOKE.chainId);
    receiver = await deploy(anvil, 'RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD));
    await deliver(anvil, receiver, DID_HASH, 1n, { kind: 'config', threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers: committeeSigners, name: 'Fund A', symbol: 'FA', signersValidUntil: DEV_SIGNERS_VALID_UNTIL });
    await deliver(anvil, receiver, DID_HASH, 2n, { kind: 'allowlist', entries: [{ account: INVESTOR, allowed: true }] });
    await deliver(anvil, receiver, DID_HASH, 3n, { kind: 'reserve', reserve: 10n ** 12n, asOf: BigInt(NOW) - 100n, caps: [{ chainId: BigInt(SPOKE.chainId), cap: 10n ** 12n, ceiling: 0n }] });
    // The chain holds a line of 1M at 3 of 3.
    await deliver(anvil, receiver, DID_HASH, 4n, brakes(LINE, 3));
  }, 300_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('holds the settlement for its DID (no dead letter) and applies it once the brakes without the line land', async () => {
    // The issuer lifted the line: the oracle attested it at nonce 5, then signed a 5M subscription at nonce 6 with the
    // DID's threshold (2 of 3), the line it attested being none. Nonce 5 has not reached this chain yet.
    const lifted = brakes(0n, 0);
    const settlement: AttestationMessage = {
      kind: 'settlement', did: DID_HASH, nonce: 6n, settlementKind: 'subscription', settlementRef: keccak256(stringToBytes('BIG-1')), investor: INVESTOR,
      amount: AMOUNT, cashLegRef: keccak256(stringToBytes('cash BIG-1')), settledAt: BigInt(NOW), peerChainId: 0n,
    };
    const message = encodeMessage(settlement);
    const signatures = await committee.signFor(settlement, { chainId: BigInt(SPOKE.chainId), receiver }, committeeSigners, DEV_COMMITTEE_THRESHOLD);
    const outbox = new Outbox(openDb(tempDb('brakes-line'), schema, join(import.meta.dirname, 'store', 'migrations')).db);
    outbox.ingest([{ attestationId: attestationId(message), seq: 6, did: DID, didHash: DID_HASH, nonce: '6', kind: 'settlement', chainId: SPOKE.chainId, transport: 'cctp', receiver, quorumTransports: null, message, signatures }], 6, 0);

    let now = 1_000_000;
    const { pub } = clients(anvil);
    const transport = new CctpTransport({ name: SPOKE.name, chainId: SPOKE.chainId, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }, ANVIL_RELAYER_KEY, 30_000, new NonceManager());
    const worker = new ChainWorker({
      chainId: SPOKE.chainId, outbox, transports: new Map([['cctp', transport]]), inFlightPollMs: 5_000, disabled: new Set(),
      arrivals: quorumArrivals(pub), appliedBy: appliedByReader(pub), policy: DEFAULT_BACKOFF, parkPolicy: PARK_BACKOFF, didWaitPolicy: DID_WAIT_BACKOFF,
      maxCcipExecutions: 3, metrics: createMetrics(), logger: pino({ level: 'silent' }), now: () => now, random: () => 0.5, idleMs: 10,
      pipeline: { maxInFlight: 8, maxBatch: 16 },
    });
    const pass = async () => {
      worker.tick();
      await worker.idle();
    };
    const job = () => outbox.byAttestation(attestationId(message))[0]!;

    // Refused by the chain's line: waits as its DID's, with backoff, not dead.
    await pass();
    expect(job().state).toBe('pending');
    expect(job().lastError).toMatch(/LargeAmountNeedsThreshold/);
    expect(outbox.deadLetters()).toEqual([]);
    // Tried again after its backoff while the line still stands: still waiting, still not dead.
    now = job().nextAttemptAt;
    await pass();
    expect(job().state).toBe('pending');
    expect(outbox.deadLetters()).toEqual([]);

    // The brakes without the line land (another transport, or the relayer's own later delivery of nonce 5).
    await deliver(anvil, receiver, DID_HASH, 5n, lifted);
    now = job().nextAttemptAt;
    await pass();
    expect(job().state).toBe('confirmed');
    const applied = await pub.getContractEvents({ address: receiver, abi: rwaReceiverAbi, eventName: 'SettlementApplied', args: { did: DID_HASH }, fromBlock: 0n, strict: true });
    expect(applied.map((e) => [e.args.nonce, e.args.amount])).toEqual([[6n, AMOUNT]]);
    expect(outbox.deadLetters()).toEqual([]);
  }, 120_000);
});

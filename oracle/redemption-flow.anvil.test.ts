import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import pino from 'pino';
import { rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import { ANVIL_DEPLOYER_KEY, DEV_COMMITTEE_THRESHOLD, DEV_CUSTODIAN_KEY, devReceiverArgs, DEV_SIGNERS_VALID_UNTIL } from '../schemas/dev-keys.js';
import { DISCLOSURE_KIND } from '../schemas/message.js';
import { didHash, type DidString } from '../schemas/ids.js';
import { startAnvil, type AnvilChain } from '../devnet/anvil.js';
import { signAcceptance, signDisclosure, signFulfilment } from '../clients/custodian.js';
import { openDb } from '../common/sqlite.js';
import { KeyedMutex } from '../common/mutex.js';
import { INVESTOR_KEY, apply, buildContracts, clients, committee, committeeSigners, deploy, deployRegistryWithDid, deliver, mined } from '../testkit/anvil-chain.js';
import { RedemptionChains } from '../core/chain/redemptions.js';
import { RegistryReader } from '../core/chain/registry.js';
import { Destinations } from '../core/chain/destinations.js';
import * as schema from './store/schema.js';
import { AttestationStore, type AttestationRow } from './store/attestations.js';
import { RedemptionStore } from './store/redemptions.js';
import { createMetrics } from './metrics.js';
import { OracleError } from '../core/errors.js';
import { httpStatus } from '../core/http-status.js';
import type { RedemptionDeps } from './redemption-deps.js';
import { RequestWatcher } from './mirror/request-watcher.js';
import { StageWatcher } from './mirror/stage-watcher.js';
import { FulfilmentService } from './intake/fulfilment-service.js';
import { AcceptanceService } from './intake/acceptance-service.js';
import { DisclosureService } from './intake/disclosure-service.js';
import { RedemptionView } from './api/redemption-view.js';

/**
 * Chain test of the oracle's redemption flow on two anvil chains (hub and spoke) with the real contracts: a request on
 * the spoke is read by the request watcher and reported to the hub, whose module moves to stage B; the stage watcher
 * sends that stage to the spoke; a fulfilment above the first instalment is refused and one within it burns on the
 * spoke. The test applies each stored attestation with its stored signatures (the relayer's job). Then (issue 23) the
 * stage B owes the issuer's incident notice until one is anchored on both chains.
 */
const DID = 'did:rwa:redemption-flow-test:fund' as DidString;
const HASH = didHash(DID);
const INVESTOR = privateKeyToAccount(INVESTOR_KEY).address;
const CUSTODIAN = privateKeyToAccount(DEV_CUSTODIAN_KEY).address;

let hub: AnvilChain;
let spoke: AnvilChain;
let receivers: Map<number, Address>;
let registry: Address;
let deps: RedemptionDeps;

/** Applies a stored attestation on each chain it was signed for, as a relayer would. */
async function relay(row: AttestationRow): Promise<void> {
  for (const d of deps.store.deliveriesOf(row.seq)) {
    const chain = d.chainId === hub.chainId ? hub : spoke;
    await apply(chain, d.receiver as Address, row.message as Hex, d.signatures as Hex);
  }
}

describe('oracle redemption flow on two anvil chains', () => {
  beforeAll(async () => {
    [hub, spoke] = await Promise.all([startAnvil('hub', 41_301), startAnvil('spoke', 41_302)]);
    buildContracts();
    receivers = new Map([
      [hub.chainId, await deploy(hub, 'RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD))],
      [spoke.chainId, await deploy(spoke, 'RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD))],
    ]);
    registry = await deployRegistryWithDid(hub, { did: DID, name: 'Flow Test Fund', symbol: 'FTF', custodians: [CUSTODIAN], chainIds: [hub.chainId, spoke.chainId] });
    // Each chain: the DID's config, the investor allowed, a reserve cap, 10,000 units minted to the investor, at nonces
    // 1001..1004 so they never meet the nonces the oracle's fresh store hands out (from 1).
    for (const chain of [hub, spoke]) {
      const receiver = receivers.get(chain.chainId)!;
      const now = (await clients(chain).pub.getBlock()).timestamp;
      await deliver(chain, receiver, HASH, 1001n, { kind: 'config', threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers: committeeSigners, name: 'Flow Test Fund', symbol: 'FTF', signersValidUntil: DEV_SIGNERS_VALID_UNTIL });
      await deliver(chain, receiver, HASH, 1002n, { kind: 'allowlist', entries: [{ account: INVESTOR, allowed: true }] });
      await deliver(chain, receiver, HASH, 1003n, { kind: 'reserve', reserve: 10n ** 12n, asOf: now, caps: [{ chainId: BigInt(chain.chainId), cap: 10n ** 12n, ceiling: 0n }] });
      await deliver(chain, receiver, HASH, 1004n, {
        kind: 'settlement',
        settlementKind: 'subscription',
        settlementRef: keccak256(stringToBytes(`SUB-${chain.name}`)),
        investor: INVESTOR,
        amount: 10_000n,
        cashLegRef: keccak256(stringToBytes('wire')),
        settledAt: now,
        peerChainId: 0n,
      });
    }
    const chains = [hub, spoke].map((c) => ({ name: c.name, chainId: c.chainId, rpcUrl: c.rpcUrl, receiver: receivers.get(c.chainId)!, confirmations: 0 }));
    const { db } = openDb(join(tmpdir(), `redemption-flow-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'store', 'migrations'));
    deps = {
      registry: new RegistryReader(hub.rpcUrl, registry),
      registryAddress: registry,
      hubChainId: BigInt(hub.chainId),
      destinations: new Destinations(chains),
      chains: new RedemptionChains(chains, { rpcUrl: hub.rpcUrl, registry }),
      committee,
      store: new AttestationStore(db),
      redemptions: new RedemptionStore(db),
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      lock: new KeyedMutex(),
      now: () => BigInt(Math.floor(Date.now() / 1000)),
      maxFutureSkewSeconds: 300,
    };
  }, 240_000);

  afterAll(async () => {
    await Promise.all([hub?.stop(), spoke?.stop()]);
  });

  it('reports a spoke request to the hub once accepted, carries the hub stage to the spoke, and fulfils within the instalment', async () => {
    const module = await clients(spoke).pub.readContract({ address: receivers.get(spoke.chainId)!, abi: rwaReceiverAbi, functionName: 'redemptions' });
    // 350 of a 20,000 pool is 1.75%: above stage B's 1%, below stage C's 3%.
    await mined(spoke, await clients(spoke, INVESTOR_KEY).wallet.writeContract({ address: module, abi: rwaRedemptionsAbi, functionName: 'requestRedeem', args: [HASH, 350n] }));

    const requests = new RequestWatcher(deps, { chainIds: [hub.chainId, spoke.chainId], startBlock: 0n, maxSpan: 1_000n });
    // Still cancellable: not reported. The custodian accepts (kind 13 on the spoke), then it is.
    expect(await requests.tick()).toEqual([]);
    const accepted = await new AcceptanceService(deps).submit(
      await signAcceptance(DEV_CUSTODIAN_KEY, { hubChainId: hub.chainId, registry }, { did: DID, chainId: spoke.chainId, requestId: '1', owner: INVESTOR, amount: '350', acceptedAt: Number(deps.now()) - 5 }),
    );
    await relay(accepted.attestation);
    expect(await deps.chains.requestOf(spoke.chainId, HASH, 1n)).toMatchObject({ accepted: true, cancelled: false });
    const [report] = await requests.tick();
    expect(report).toMatchObject({ kind: 'redemptionRequest' });
    expect(JSON.parse(report!.request)).toMatchObject({ chainId: spoke.chainId, requestId: '1', amount: '350', poolSupply: '20000' });
    await relay(report!);
    expect(await deps.chains.stageOf(hub.chainId, HASH)).toMatchObject({ stage: 'B', stageSeq: 1n, reason: 'threshold', dayRequested: 350n, poolSupply: 20_000n });

    const [stage] = await new StageWatcher(deps, { startBlock: 0n, maxSpan: 1_000n }).tick();
    expect(deps.store.deliveriesOf(stage!.seq).map((d) => d.chainId)).toEqual([spoke.chainId]);
    await relay(stage!);
    expect(await deps.chains.stageOf(spoke.chainId, HASH)).toMatchObject({ stage: 'B', stageSeq: 1n });

    // Stage B, 7 instalments: 350 * 1 / 7 = 50 may be fulfilled now.
    expect(await deps.chains.redeemableNow(spoke.chainId, HASH, 1n)).toBe(50n);
    const fulfilments = new FulfilmentService(deps);
    const body = (amount: string, ref: string) =>
      signFulfilment(DEV_CUSTODIAN_KEY, { hubChainId: hub.chainId, registry }, { did: DID, chainId: spoke.chainId, requestId: '1', settlementRef: ref, amount, cashLegRef: keccak256(stringToBytes(ref)), settledAt: Number(deps.now()) - 5 });
    const refused = await fulfilments.submit(await body('51', 'PAY-1')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OracleError);
    expect(refused).toMatchObject({ code: 'exceeds_allowance', field: 'amount' });
    expect(httpStatus((refused as OracleError).code)).toBe(422);
    const ok = await fulfilments.submit(await body('50', 'PAY-2'));
    await relay(ok.attestation);
    expect(await deps.chains.requestOf(spoke.chainId, HASH, 1n)).toMatchObject({ amount: 350n, fulfilled: 50n });
    expect(await deps.chains.totalSupplyAt(spoke.chainId, HASH, await clients(spoke).pub.getBlockNumber())).toBe(9_950n);
  });

  it("stage B owes the issuer's incident notice (status and metric) until an incidentNotice from after the change is anchored on every chain", async () => {
    // Runs after the flow above: the hub is in stage B (stageSeq 1), stored by the stage watcher.
    const view = new RedemptionView(deps);
    const hubStage = await deps.chains.stageOf(hub.chainId, HASH);
    expect(hubStage.stage).toBe('B');
    const since = Number(hubStage.since);
    expect((await view.noticeOf(DID)).notice).toEqual({ due: true, stage: 'B', since, stageSeq: '1', required: 'public announcement and filing', pending: null });
    const gauge = async () => (await deps.metrics.registry.getSingleMetric('oracle_notice_due')!.get()).values.find((v) => v.labels.did === DID)?.value;
    await view.refreshNotices();
    expect(await gauge()).toBe(1);

    // The issuer (the registry's deployer here) anchors its notice, dated at the change, on both chains (kind 11).
    const docHash = keccak256(stringToBytes('stage B announcement and filing'));
    const notice = await new DisclosureService(deps).submit(
      await signDisclosure(ANVIL_DEPLOYER_KEY, { hubChainId: hub.chainId, registry }, { did: DID, docKind: 'incidentNotice', docHash, uri: 'https://issuer.example/notices/stage-b.pdf', asOf: since }),
    );
    expect(deps.store.deliveriesOf(notice.attestation.seq).map((d) => d.chainId).sort()).toEqual([hub.chainId, spoke.chainId].sort());
    // Signed, not yet applied anywhere: still due, naming it.
    expect((await view.noticeOf(DID)).notice).toMatchObject({ due: true, pending: notice.attestation.id });
    await relay(notice.attestation);
    for (const chain of [hub, spoke]) {
      const module = await clients(chain).pub.readContract({ address: receivers.get(chain.chainId)!, abi: rwaReceiverAbi, functionName: 'redemptions' });
      const anchored = await clients(chain).pub.readContract({ address: module, abi: rwaRedemptionsAbi, functionName: 'disclosureOf', args: [HASH, DISCLOSURE_KIND.incidentNotice] });
      expect(anchored.docHash).toBe(docHash);
    }
    expect((await view.noticeOf(DID)).notice).toEqual({ due: false, stage: 'B', since, notice: { attestationId: notice.attestation.id, asOf: since, uri: 'https://issuer.example/notices/stage-b.pdf' } });
    await view.refreshNotices();
    expect(await gauge()).toBe(0);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseError, ContractFunctionRevertedError, createPublicClient, createTestClient, createWalletClient, defineChain, http, keccak256, stringToBytes, type Address, type Hex, type LocalAccount } from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi, rwaHoldingsAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import { DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import { decodeMessage, encodeMessage, type AttestationMessage } from '../schemas/message.js';
import type { DidHash } from '../schemas/ids.js';
import type { DeployedChain } from '../schemas/deployment.js';
import { postJson, signAcceptance, signDisclosure, signFulfilment } from '../clients/custodian.js';
import { Committee } from '../oracle/issue/committee/local.js';
import { receiverDeliveryAbi } from '../relayer/transports/delivery-abi.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { expectSupplyConserved } from './lib/supply.js';
import { bootstrapDemo, custodianDomainOf, demoSubscription } from '../devnet/demo.js';
import { waitFor } from '../testkit/wait.js';
import { settledDeliveries } from '../devnet/relayer.js';

/**
 * Redemptions across three anvil chains: holders request on two spokes, the custodian accepts (kind 13, after which
 * the holder can no longer cancel), the accepted requests travel spoke -> hub as committee attestations, the hub sums
 * the pressure of the last 24 to 25 hours and sets the stage, the stage reaches every chain; custodians fulfil by
 * settlement proof within what the stage allows; anvil's clock (evm_increaseTime) drives instalments. A holder's
 * request / cancel loop never moves the stage (issue 17).
 */
const MNEMONIC = 'test test test test test test test test test test test junk';
/** Anvil accounts #3 and #4: the demo allow-list's investors; they sign their own requests here. */
const alice = mnemonicToAccount(MNEMONIC, { addressIndex: 3 });
const bob = mnemonicToAccount(MNEMONIC, { addressIndex: 4 });
const DAY = 86_400;
/** The issuer's policy for this test: the default thresholds, 7 instalments of 10 minutes (so a day never ends mid-test). */
const PERIOD = 600;
const POLICY = { stageBBps: 100, stageCBps: 300, instalments: 7, windowSeconds: 7 * PERIOD, emergency: false } as const;

let stack: Stack;
let did: DidHash;
let didString: string;

const STAGE = { A: 1, B: 2, C: 3 } as const;
/**
 * When the custodian paid, for every fulfilment here: one value, so a repeat is the same body (idempotent 200), and
 * wall-clock time, because the chains' clocks run ahead once the test advanced them and the oracle's does not.
 */
const SETTLED_AT = Math.floor(Date.now() / 1000) - 60;

function chainClients(c: DeployedChain) {
  const chain = defineChain({ id: c.chainId, name: c.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [c.rpcUrl] } } });
  const transport = http(c.rpcUrl);
  return {
    pub: createPublicClient({ chain, transport, pollingInterval: 50 }),
    test: createTestClient({ chain, mode: 'anvil', transport }),
    wallet: (account: LocalAccount) => createWalletClient({ chain, transport, account }),
  };
}

async function modules(c: DeployedChain) {
  const { pub } = chainClients(c);
  const redemptions = await pub.readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'redemptions' });
  const { holdings } = await pub.readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'didState', args: [did] });
  return { redemptions, holdings };
}

async function stageOn(c: DeployedChain) {
  const { redemptions } = await modules(c);
  return chainClients(c).pub.readContract({ address: redemptions, abi: rwaRedemptionsAbi, functionName: 'stageOf', args: [did] });
}

async function balanceOn(c: DeployedChain, who: Address): Promise<bigint> {
  const { holdings } = await modules(c);
  return chainClients(c).pub.readContract({ address: holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [who] });
}

async function supplyOn(c: DeployedChain): Promise<bigint> {
  const { holdings } = await modules(c);
  return chainClients(c).pub.readContract({ address: holdings, abi: rwaHoldingsAbi, functionName: 'totalSupply' });
}

/** The holder locks units on chain `c`; returns the module's request id. */
async function requestRedeem(c: DeployedChain, who: typeof alice, amount: bigint): Promise<bigint> {
  const { redemptions } = await modules(c);
  const { pub, wallet } = chainClients(c);
  const { request, result } = await pub.simulateContract({ address: redemptions, abi: rwaRedemptionsAbi, functionName: 'requestRedeem', args: [did, amount], account: who });
  const hash = await wallet(who).writeContract(request);
  expect((await pub.waitForTransactionReceipt({ hash })).status).toBe('success');
  return result;
}

/** The custodian accepts a request (POST /v1/redemptions/acceptances) and waits until the acceptance applied on `c`. */
async function accept(c: DeployedChain, who: typeof alice, requestId: bigint, amount: bigint) {
  const body = await signAcceptance(DEV_CUSTODIAN_KEY, custodianDomainOf(stack.deployment), {
    did: didString,
    chainId: c.chainId,
    requestId: requestId.toString(),
    owner: who.address,
    amount: amount.toString(),
    acceptedAt: SETTLED_AT,
  });
  const r = await postJson(`${stack.oracleUrl}/v1/redemptions/acceptances`, body);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const { redemptions } = await modules(c);
  await waitFor(
    async () => (await chainClients(c).pub.readContract({ address: redemptions, abi: rwaRedemptionsAbi, functionName: 'requestOf', args: [did, requestId] })).accepted,
    { what: `acceptance of request ${requestId} on ${c.name}`, timeoutMs: 60_000 },
  );
}

/** The holder's cancel on chain `c`: the custom error it reverts with, or undefined when it went through. */
async function cancelRedeem(c: DeployedChain, who: typeof alice, requestId: bigint): Promise<string | undefined> {
  const { redemptions } = await modules(c);
  const { pub, wallet } = chainClients(c);
  try {
    const { request } = await pub.simulateContract({ address: redemptions, abi: rwaRedemptionsAbi, functionName: 'cancelRedeem', args: [did, requestId], account: who });
    const hash = await wallet(who).writeContract(request);
    expect((await pub.waitForTransactionReceipt({ hash })).status).toBe('success');
    return undefined;
  } catch (err) {
    const revert = err instanceof BaseError ? err.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    if (!(revert instanceof ContractFunctionRevertedError)) throw err;
    return revert.data?.errorName ?? 'unnamed revert';
  }
}

/**
 * The oracle's incident notice for the DID (issue 23) matches `expected` on `GET /v1/dids/:did/notice`, and its metric
 * `oracle_notice_due{did}` reads `metric` (set by the oracle's redemption loop, so waited for).
 */
async function expectNotice(expected: Record<string, unknown>, metric: 0 | 1) {
  const body = (await (await fetch(`${stack.oracleUrl}/v1/dids/${encodeURIComponent(didString)}/notice`)).json()) as { notice: Record<string, unknown> };
  expect(body.notice).toMatchObject(expected);
  const line = `oracle_notice_due{did="${didString}"} ${metric}`;
  await waitFor(async () => (await (await fetch(`${stack.oracleUrl}/metrics`)).text()).split('\n').includes(line), { what: line, timeoutMs: 30_000 });
}

/** Every chain shows `stage` (after the hub set it and the relayer carried it). */
async function waitForStage(stage: number, what: string) {
  const chains = stack.deployment.chains;
  return waitFor(
    async () => {
      const stages = await Promise.all(chains.map((c) => stageOn(c)));
      return stages.every((s) => s.stage === stage) ? stages : undefined;
    },
    { what, timeoutMs: 90_000 },
  );
}

/** Moves every chain's clock forward together (the same amount), mining a block on each. */
async function advanceTime(seconds: number) {
  await Promise.all(
    stack.deployment.chains.map(async (c) => {
      const { test } = chainClients(c);
      await test.increaseTime({ seconds });
      await test.mine({ blocks: 1 });
    }),
  );
}

async function fulfil(c: DeployedChain, requestId: bigint, amount: bigint, ref: string) {
  const body = await signFulfilment(DEV_CUSTODIAN_KEY, custodianDomainOf(stack.deployment), {
    did: didString,
    chainId: c.chainId,
    requestId: requestId.toString(),
    settlementRef: ref,
    amount: amount.toString(),
    cashLegRef: keccak256(stringToBytes(`wire ${ref}`)),
    settledAt: SETTLED_AT,
  });
  return postJson(`${stack.oracleUrl}/v1/redemptions/fulfilments`, body);
}

/** What the chain says when a committee-signed fulfilment the oracle refused is delivered anyway. */
async function fulfilOnChainAnyway(c: DeployedChain, requestId: bigint, amount: bigint, nonce: bigint): Promise<string | undefined> {
  const committee = new Committee(DEV_COMMITTEE_KEYS);
  const signers = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const m: AttestationMessage = {
    kind: 'redemptionFulfilment',
    did,
    nonce,
    requestId,
    settlementRef: keccak256(stringToBytes(`anyway-${nonce}`)),
    amount,
    cashLegRef: keccak256(stringToBytes(`anyway-cash-${nonce}`)),
    settledAt: BigInt(Math.floor(Date.now() / 1000)),
  };
  const signatures = await committee.signFor(m, { chainId: BigInt(c.chainId), receiver: c.receiver as Address }, signers, DEV_COMMITTEE_THRESHOLD);
  const { pub } = chainClients(c);
  try {
    await pub.simulateContract({ address: c.receiver as Address, abi: receiverDeliveryAbi, functionName: 'receiveMessage', args: [encodeMessage(m), signatures], account: mnemonicToAccount(MNEMONIC, { addressIndex: 1 }) });
    return undefined;
  } catch (err) {
    const revert = err instanceof BaseError ? err.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    if (!(revert instanceof ContractFunctionRevertedError)) throw err;
    return revert.data?.errorName ?? `unnamed revert ${revert.raw ?? ''}`;
  }
}

describe('redemptions: requests on any chain, staged gates across chains, fulfilment by settlement proof', () => {
  beforeAll(async () => {
    // spoke-a's requests travel to the hub over a real CCIP 2.0 lane (spoke-a -> hub), spoke-b's CCTP-style.
    stack = await startStack({
      dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-redeem-')),
      logLevel: 'warn',
      signers: 3,
      ccipToHub: ['spoke-a'],
      routes: [{ chain: 'hub', from: 'spoke-a', kinds: ['redemptionRequest'], transport: 'ccip' }],
    });
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
    did = stack.deployment.dids[0]!.didHash as DidHash;
    didString = stack.deployment.dids[0]!.did;
  }, 240_000);
  afterEach(async () => {
    await expectSupplyConserved(stack.deployment);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('moves every chain to stage B past 1% and to C past 3%, fulfils pro rata in instalments, cancels, refuses what the stage does not allow', async ({ annotate }) => {
    const d = stack.deployment;
    const hub = d.chains.find((c) => c.chainId === d.hub.chainId)!;
    const spokeA = d.chains.find((c) => c.name === 'spoke-a')!;
    const spokeB = d.chains.find((c) => c.name === 'spoke-b')!;

    // The stage follows the current UTC day: start well inside one (the chains' clocks move together).
    const head = Number((await chainClients(hub).pub.getBlock()).timestamp);
    const toMidnight = DAY - (head % DAY);
    if (toMidnight < 7_200) await advanceTime(toMidnight + 300);

    // The issuer changes the policy on the hub; the registry sync carries it to every chain (kind 9).
    const issuer = privateKeyToAccount(DEV_ISSUER_KEY);
    const { pub: hubPub0, wallet: hubWallet0, test: hubTest } = chainClients(hub);
    await hubTest.setBalance({ address: issuer.address, value: 10n ** 19n });
    const setPolicy = await hubWallet0(issuer).writeContract({
      address: d.hub.registry as Address,
      abi: rwaDidRegistryAbi,
      functionName: 'setRedemptionPolicy',
      args: [did, POLICY.stageBBps, POLICY.stageCBps, POLICY.instalments, POLICY.windowSeconds, POLICY.emergency],
      chain: undefined,
    });
    expect((await hubPub0.waitForTransactionReceipt({ hash: setPolicy })).status).toBe('success');
    await waitFor(
      async () => {
        const policies = await Promise.all(
          d.chains.map(async (c) => chainClients(c).pub.readContract({ address: (await modules(c)).redemptions, abi: rwaRedemptionsAbi, functionName: 'policyOf', args: [did] })),
        );
        return policies.every((p) => p.windowSeconds === POLICY.windowSeconds && p.instalments === POLICY.instalments);
      },
      { what: 'the issuer’s policy on every chain', timeoutMs: 60_000 },
    );

    // Pool: 100 units on spoke-a (alice) and 100 on spoke-b (bob): 200,000,000 base units over all chains.
    const now = Math.floor(Date.now() / 1000);
    for (const [c, who, ref] of [[spokeA, alice, 'RED-SUB-A'], [spokeB, bob, 'RED-SUB-B']] as const) {
      const r = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, c.chainId, ref, 100_000_000n, now, who.address));
      expect(r.status).toBe(201);
    }
    await waitFor(async () => (await balanceOn(spokeA, alice.address)) === 100_000_000n && (await balanceOn(spokeB, bob.address)) === 100_000_000n, { what: 'subscriptions applied', timeoutMs: 60_000 });
    const pool = 200_000_000n;
    expect((await stageOn(hub)).stage === 0 || (await stageOn(hub)).stage === STAGE.A).toBe(true);

    // Issue 17: a holder requests 4 x 0.8% (3.2%, past stage C's threshold) and cancels each before the custodian
    // accepted it. Once the oracle has seen every cancel, every chain is still in stage A, the hub counted nothing, an
    // acceptance of a cancelled request is refused, and the holder has every unit back.
    const { redemptions: hubModule } = await modules(hub);
    const loop: bigint[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await requestRedeem(spokeA, alice, 1_600_000n);
      expect(await cancelRedeem(spokeA, alice, id)).toBeUndefined();
      loop.push(id);
    }
    await waitFor(
      async () => {
        const view = (await (await fetch(`${stack.oracleUrl}/v1/dids/${encodeURIComponent(didString)}/redemptions`)).json()) as { requests: { chainId: number; requestId: string; status: string }[] };
        return loop.every((id) => view.requests.some((q) => q.chainId === spokeA.chainId && q.requestId === String(id) && q.status === 'cancelled'));
      },
      { what: 'the oracle saw every cancel of the loop', timeoutMs: 60_000 },
    );
    const afterLoop = await Promise.all(d.chains.map((c) => stageOn(c)));
    expect(afterLoop.map((s) => s.stage === 0 || s.stage === STAGE.A)).toEqual([true, true, true]);
    expect(await chainClients(hub).pub.readContract({ address: hubModule, abi: rwaRedemptionsAbi, functionName: 'pressureOf', args: [did] })).toBe(0n);
    expect(await balanceOn(spokeA, alice.address)).toBe(100_000_000n);
    const lateAccept = await postJson(
      `${stack.oracleUrl}/v1/redemptions/acceptances`,
      await signAcceptance(DEV_CUSTODIAN_KEY, custodianDomainOf(d), { did: didString, chainId: spokeA.chainId, requestId: String(loop[0]), owner: alice.address, amount: '1600000', acceptedAt: SETTLED_AT }),
    );
    expect(lateAccept.json).toMatchObject({ error: { code: 'request_closed', field: 'requestId' } });

    // A real run: 0.7% on spoke-a and 0.7% on spoke-b, accepted: neither chain alone passes 1%, together they do ->
    // stage B everywhere, from the accepted units alone (the loop's 3.2% never counted).
    const requestedAt = Date.now();
    const r1 = await requestRedeem(spokeA, alice, 1_400_000n);
    const r2 = await requestRedeem(spokeB, bob, 1_400_000n);
    expect(await balanceOn(spokeA, alice.address)).toBe(100_000_000n - 1_400_000n);
    await accept(spokeA, alice, r1, 1_400_000n);
    await accept(spokeB, bob, r2, 1_400_000n);
    const stagesB = await waitForStage(STAGE.B, 'stage B on every chain');
    await annotate(`two requests on two spokes -> stage B on all three chains in ${Date.now() - requestedAt} ms (spoke -> hub report, hub stage, hub -> spokes)`);
    for (const s of stagesB) {
      expect(s.dayRequested).toBe(2_800_000n);
      expect(s.poolSupply).toBe(pool);
    }
    const seqB = stagesB[0]!.stageSeq;
    // Issue 23: stage B without the issuer's incident notice: the oracle shows "notice due" (API and metric).
    await expectNotice({ due: true, stage: 'B', since: Number(stagesB[0]!.since), required: 'public announcement and filing' }, 1);
    // The two reports reached the hub: spoke-a's over CCIP, spoke-b's CCTP-style.
    const reports = (await (await fetch(`${stack.oracleUrl}/v1/attestations?after=0&limit=200`)).json()) as { items: { id: Hex; kind: string; message: Hex }[] };
    const carriedBy = new Map<number, string>();
    for (const item of reports.items.filter((i) => i.kind === 'redemptionRequest')) {
      const m = decodeMessage(item.message);
      const hubDelivery = (await settledDeliveries(stack.relayerUrl, item.id)).find((x) => x.chainId === hub.chainId);
      expect(hubDelivery?.state).toBe('confirmed');
      if (m.kind === 'redemptionRequest') carriedBy.set(Number(m.chainId), hubDelivery!.transport);
    }
    expect(Object.fromEntries(carriedBy)).toEqual({ [spokeA.chainId]: 'ccip', [spokeB.chainId]: 'cctp' });
    expect(stagesB.every((s) => s.stageSeq === seqB && s.since === stagesB[0]!.since)).toBe(true);

    // Stage B: 7 instalments over the window. Now 1/7 of r1 is allowed; the whole request is refused by the oracle.
    const tooMuch = await fulfil(spokeA, r1, 1_400_000n, 'RED-FUL-1-ALL');
    expect(tooMuch.status).toBe(422);
    expect(JSON.stringify(tooMuch.json)).toMatch(/amount/);
    const first = await fulfil(spokeA, r1, 200_000n, 'RED-FUL-1-I1');
    expect(first.status).toBe(201);
    // Idempotent by settlement reference.
    expect((await fulfil(spokeA, r1, 200_000n, 'RED-FUL-1-I1')).status).toBe(200);
    expect((await fulfil(spokeA, r1, 100_000n, 'RED-FUL-1-I1')).status).toBe(409);
    await waitFor(async () => (await supplyOn(spokeA)) === 100_000_000n - 200_000n, { what: 'first instalment burned on spoke-a', timeoutMs: 60_000 });
    // Sent to the chain anyway, a second instalment in the same period reverts.
    expect(await fulfilOnChainAnyway(spokeA, r1, 200_000n, 1n << 40n)).toBe('FulfilmentExceedsAllowance');

    // One period later (window / instalments), the second instalment is due, and no more: pro rata, still stage B.
    await advanceTime(PERIOD);
    expect((await fulfil(spokeA, r1, 200_000n, 'RED-FUL-1-I2')).status).toBe(201);
    await waitFor(async () => (await supplyOn(spokeA)) === 100_000_000n - 400_000n, { what: 'second instalment burned on spoke-a', timeoutMs: 60_000 });
    // Before or after the second one lands, the oracle reads the request, its allowance and what is still pending at
    // one block, so the early third is refused either way.
    const early = await fulfil(spokeA, r1, 200_000n, 'RED-FUL-1-I3-EARLY');
    expect(early.status).toBe(422);
    expect(early.json).toMatchObject({ error: { code: 'exceeds_allowance', field: 'amount' } });
    expect((await stageOn(hub)).stage).toBe(STAGE.B);

    // Past 3% of the pool within the window -> stage C on every chain: requests queue, nothing is fulfilled.
    const r3 = await requestRedeem(spokeA, alice, 7_000_000n);
    await accept(spokeA, alice, r3, 7_000_000n);
    const stagesC = await waitForStage(STAGE.C, 'stage C on every chain');
    expect(stagesC.every((s) => s.reason === 1)).toBe(true);
    await expectNotice({ due: true, stage: 'C', since: Number(stagesC[0]!.since), required: 'regulatory filing and temporary restrictions' }, 1);
    const halted = await fulfil(spokeA, r3, 1_000_000n, 'RED-FUL-3-C');
    expect(halted.status).toBe(422);
    expect(await fulfilOnChainAnyway(spokeA, r3, 1_000_000n, (1n << 40n) + 1n)).toBe('RedemptionsHalted');

    // Cancel after acceptance: the custodian may already have paid, so the chain refuses it and the units stay locked.
    const before = await balanceOn(spokeB, bob.address);
    expect(await cancelRedeem(spokeB, bob, r2)).toBe('RequestAlreadyAccepted');
    expect(await balanceOn(spokeB, bob.address)).toBe(before);
    // A cancel before acceptance returns the locked units; the request can then be neither accepted nor fulfilled.
    const r4 = await requestRedeem(spokeB, bob, 500_000n);
    expect(await cancelRedeem(spokeB, bob, r4)).toBeUndefined();
    expect(await balanceOn(spokeB, bob.address)).toBe(before);
    expect((await fulfil(spokeB, r4, 100_000n, 'RED-FUL-4-CANCELLED')).status).toBe(422);

    // Unknown request: refused by the oracle, and by the chain.
    const unknown = await fulfil(spokeA, 999n, 1n, 'RED-FUL-UNKNOWN');
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.json)).toMatch(/requestId/);
    expect(await fulfilOnChainAnyway(spokeA, 999n, 1n, (1n << 40n) + 3n)).toBe('UnknownRequest');

    // A day and an hour later the stage C gate's window (70 minutes here) has passed and every report has left the
    // pressure window (the current hour and the 24 before it), so there is no pressure: the relayer's
    // stage keeper sees the hub's rule now gives A, calls the permissionless refreshStage, and the new stage reaches
    // every chain; the rest of r1 is paid in full.
    const seqC = stagesC[0]!.stageSeq;
    await advanceTime(DAY + 3_600);
    const stagesA = await waitForStage(STAGE.A, 'stage A on every chain');
    expect(stagesA.every((s) => s.stageSeq === seqC + 1n && s.dayRequested === 0n)).toBe(true);
    await expectNotice({ due: false, stage: 'A' }, 0);
    expect((await fulfil(spokeA, r1, 1_000_000n, 'RED-FUL-1-REST')).status).toBe(201);
    await waitFor(async () => (await supplyOn(spokeA)) === 100_000_000n - 1_400_000n, { what: 'r1 fully burned on spoke-a', timeoutMs: 60_000 });
    // Already filled: refused by the oracle and by the chain.
    expect((await fulfil(spokeA, r1, 1n, 'RED-FUL-1-AGAIN')).status).toBe(422);
    expect(await fulfilOnChainAnyway(spokeA, r1, 1n, (1n << 40n) + 2n)).toBe('RequestClosed');

    // Supply conserved: every unit that left the pool left through a fulfilment; locked units still count.
    const supplies = await Promise.all(d.chains.map((c) => supplyOn(c)));
    expect(supplies.reduce((a, b) => a + b, 0n)).toBe(pool - 1_400_000n);
    const status = (await (await fetch(`${stack.oracleUrl}/v1/dids/${encodeURIComponent(didString)}/redemptions`)).json()) as Record<string, unknown>;
    expect(JSON.stringify(status)).toMatch(/"stage"/);
  }, 400_000);

  it('anchors a disclosure on every chain by hash, latest per kind, listed by the API', async () => {
    const d = stack.deployment;
    const docHash = keccak256(stringToBytes('Q3 2026 custody statement, PDF bytes'));
    const body = await signDisclosure(DEV_ISSUER_KEY, custodianDomainOf(d), { did: didString, docKind: 'custodyStatement', docHash, uri: 'https://issuer.example/custody/2026-q3.pdf', asOf: Math.floor(Date.now() / 1000) - 3600 });
    const r = await postJson(`${stack.oracleUrl}/v1/disclosures`, body);
    expect(r.status).toBe(201);
    await waitFor(
      async () => {
        const anchored = await Promise.all(
          d.chains.map(async (c) => {
            const { redemptions } = await modules(c);
            return chainClients(c).pub.readContract({ address: redemptions, abi: rwaRedemptionsAbi, functionName: 'disclosureOf', args: [did, 2] });
          }),
        );
        return anchored.every((x) => x.docHash === docHash);
      },
      { what: 'the disclosure anchored on every chain', timeoutMs: 60_000 },
    );
    const list = (await (await fetch(`${stack.oracleUrl}/v1/dids/${encodeURIComponent(didString)}/disclosures`)).json()) as unknown;
    expect(JSON.stringify(list)).toContain(docHash);
    const stale = await signDisclosure(DEV_ISSUER_KEY, custodianDomainOf(d), { did: didString, docKind: 'custodyStatement', docHash, uri: 'https://issuer.example/old.pdf', asOf: Math.floor(Date.now() / 1000) - 7200 });
    expect((await postJson(`${stack.oracleUrl}/v1/disclosures`, stale)).status).toBeGreaterThanOrEqual(400);
  }, 120_000);
});

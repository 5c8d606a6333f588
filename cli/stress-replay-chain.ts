import { createTestClient, createWalletClient, defineChain, http, keccak256, stringToBytes, type Address, type Hex, type LocalAccount, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi, rwaHoldingsAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import type { DeployedChain, Deployment } from '../schemas/deployment.js';
import { DEV_BUYBACK_CUSTODIAN_KEY, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import type { DidHash } from '../schemas/ids.js';
import type { RedemptionStageName } from '../schemas/kinds/redemption-stage.js';
import { postJson, signAcceptance, signCustodianRequest, signFulfilment, signReserve, signSettlement, type CustodianDomain } from '../clients/custodian.js';
import { RwaError } from '../common/errors.js';
import { parserFor } from '../schemas/validate.js';
import type { ChainShown } from '../liquidity/replay-report.js';
import { publicClientOf } from './chain.js';
import { pollUntil } from './poll.js';

/** A replay step the local stack did not complete (a refusal, a timeout): the replay stops there. */
export class ReplayError extends RwaError<'replay_failed'> {
  override readonly name = 'ReplayError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, { code: 'replay_failed', retryable: false, details });
  }
}

const STAGES: Record<number, RedemptionStageName> = { 1: 'A', 2: 'B', 3: 'C' };
/** kind 17's lcrBps for "unbounded". */
const UNBOUNDED = 0xffff_ffff;
const WAIT_MS = 90_000;

interface OracleRequest {
  chainId: number;
  requestId: string;
  amount: string;
  fulfilled: string;
  status: string;
}
const uintString = { type: 'string', pattern: '^[0-9]+$' } as const;
/** The part of `GET /v1/dids/:did/redemptions` the replay reads, checked at the edge. */
const parseRequests = parserFor<{ requests: OracleRequest[] }>({
  type: 'object',
  required: ['requests'],
  properties: {
    requests: {
      type: 'array',
      items: { type: 'object', required: ['chainId', 'requestId', 'amount', 'fulfilled', 'status'], properties: { chainId: { type: 'integer' }, requestId: uintString, amount: uintString, fulfilled: uintString, status: { type: 'string' } } },
    },
  },
});

/** The settings the replay gives the issuer's policy and bands on the hub (docs/liquidity.md, Replay). */
export interface ReplayBands {
  minShareBps: number;
  stageBBelowBps: number;
  stageCBelowBps: number;
  horizonDays: number;
}

/**
 * The local stack as the replay drives it: the DEV-ONLY keys of the issuer, the custodian and the buy-back custodian
 * (schemas/dev-keys.ts), investors that sign their own requests, anvil's clock. Never for a real network.
 */
export class ReplayChains {
  readonly domain: CustodianDomain;
  readonly did: string;
  readonly didHash: DidHash;
  private readonly pubs = new Map<number, PublicClient>();
  private readonly modules = new Map<number, { redemptions: Address; holdings: Address }>();
  private lastAsOf = 0;

  constructor(
    readonly deployment: Deployment,
    readonly oracleUrl: string,
  ) {
    const first = deployment.dids[0];
    if (!first) throw new ReplayError('the deployment lists no DID');
    this.did = first.did;
    this.didHash = first.didHash as DidHash;
    this.domain = { hubChainId: deployment.hub.chainId, registry: deployment.hub.registry as Address };
  }

  get hub(): DeployedChain {
    return this.deployment.chains.find((c) => c.chainId === this.deployment.hub.chainId)!;
  }

  pub(c: DeployedChain): PublicClient {
    let p = this.pubs.get(c.chainId);
    if (!p) this.pubs.set(c.chainId, (p = publicClientOf(c)));
    return p;
  }

  private viemChain(c: DeployedChain) {
    return defineChain({ id: c.chainId, name: c.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [c.rpcUrl] } } });
  }

  async modulesOf(c: DeployedChain): Promise<{ redemptions: Address; holdings: Address }> {
    const known = this.modules.get(c.chainId);
    if (known) return known;
    const pub = this.pub(c);
    const redemptions = await pub.readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'redemptions' });
    const { holdings } = await pub.readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'didState', args: [this.didHash] });
    const m = { redemptions, holdings: holdings as Address };
    this.modules.set(c.chainId, m);
    return m;
  }

  /** A strictly increasing as-of time at most the wall clock (the oracle refuses one ahead of its clock). */
  nextAsOf(): number {
    this.lastAsOf = Math.max(this.lastAsOf + 1, Math.floor(Date.now() / 1000) - 5);
    return this.lastAsOf;
  }

  async waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
    await pollUntil(check, (ok) => ok, WAIT_MS, () => {
      throw new ReplayError(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    });
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const r = await postJson(`${this.oracleUrl}${path}`, body);
    if (r.status !== 201 && r.status !== 200) throw new ReplayError(`POST ${path} answered ${r.status}: ${JSON.stringify(r.json)}`, { path, status: r.status });
    return r.json;
  }

  private wallet(c: DeployedChain, account: LocalAccount) {
    return createWalletClient({ chain: this.viemChain(c), transport: http(c.rpcUrl), account });
  }

  private async mined(c: DeployedChain, hash: Hex): Promise<void> {
    const receipt = await this.pub(c).waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new ReplayError(`transaction ${hash} reverted on ${c.name}`, { chain: c.name, hash });
  }

  /** The issuer sets the pressure thresholds to 100% (the stage follows the buy-back report alone) and the bands. */
  async configure(bands: ReplayBands): Promise<void> {
    const issuer = privateKeyToAccount(DEV_ISSUER_KEY);
    const hub = this.hub;
    await createTestClient({ chain: this.viemChain(hub), mode: 'anvil', transport: http(hub.rpcUrl) }).setBalance({ address: issuer.address, value: 10n ** 19n });
    const registry = this.deployment.hub.registry as Address;
    const window = 7 * 86_400;
    const issuerWallet = this.wallet(hub, issuer);
    await this.mined(hub, await issuerWallet.writeContract({ address: registry, abi: rwaDidRegistryAbi, functionName: 'setRedemptionPolicy', args: [this.didHash, 10_000, 10_000, 7, window, false] }));
    const buyBack = privateKeyToAccount(DEV_BUYBACK_CUSTODIAN_KEY).address;
    const b = { minShareBps: bands.minShareBps, stageBBelowBps: bands.stageBBelowBps, stageCBelowBps: bands.stageCBelowBps, staleFloor: false, stressRateBps: 1, horizonDays: bands.horizonDays };
    await this.mined(hub, await issuerWallet.writeContract({ address: registry, abi: rwaDidRegistryAbi, functionName: 'setBuyBack', args: [this.didHash, buyBack, b] }));
    await this.waitUntil('the replay policy on every chain', async () => {
      const ps = await Promise.all(this.deployment.chains.map(async (c) => this.pub(c).readContract({ address: (await this.modulesOf(c)).redemptions, abi: rwaRedemptionsAbi, functionName: 'policyOf', args: [this.didHash] })));
      return ps.every((p) => p.windowSeconds === window && p.stageBBps === 10_000);
    });
  }

  async totalSupply(): Promise<bigint> {
    const all = await Promise.all(this.deployment.chains.map(async (c) => this.pub(c).readContract({ address: (await this.modulesOf(c)).holdings, abi: rwaHoldingsAbi, functionName: 'totalSupply' })));
    return all.reduce((s, x) => s + x, 0n);
  }

  /** The custodian reports the asset pool; waits until the chains' supply caps (its split per chain) add up to it. */
  async postReserve(reserve: bigint): Promise<void> {
    await this.post('/v1/reserve', await signReserve(DEV_CUSTODIAN_KEY, this.domain, { did: this.did, reserve: reserve.toString(), asOf: this.nextAsOf() }));
    await this.waitUntil('the reserve on every chain', async () => {
      const caps = await Promise.all(this.deployment.chains.map(async (c) => this.pub(c).readContract({ address: (await this.modulesOf(c)).holdings, abi: rwaHoldingsAbi, functionName: 'supplyCap' })));
      return caps.reduce((s, x) => s + x, 0n) === reserve;
    });
  }

  async balanceOf(c: DeployedChain, who: Address): Promise<bigint> {
    return this.pub(c).readContract({ address: (await this.modulesOf(c)).holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [who] });
  }

  /** A subscription of `amount` to `investor` on `c` (the custodian's settlement proof); waits until it is minted. */
  async subscribe(c: DeployedChain, investor: Address, amount: bigint, ref: string): Promise<void> {
    const before = await this.balanceOf(c, investor);
    const settledAt = Math.floor(Date.now() / 1000) - 5;
    const body = await signSettlement(DEV_CUSTODIAN_KEY, this.domain, { did: this.did, chainId: c.chainId, kind: 'subscription', settlementRef: ref, investor, amount: amount.toString(), cashLegRef: keccak256(stringToBytes(`wire ${ref}`)), settledAt });
    await this.post('/v1/settlements', body);
    await this.waitUntil(`subscription ${ref} on ${c.name}`, async () => (await this.balanceOf(c, investor)) === before + amount);
  }

  /** Every chain's clock one step forward together, a block mined on each. */
  async advance(seconds: number): Promise<void> {
    await Promise.all(
      this.deployment.chains.map(async (c) => {
        const test = createTestClient({ chain: this.viemChain(c), mode: 'anvil', transport: http(c.rpcUrl) });
        await test.increaseTime({ seconds });
        await test.mine({ blocks: 1 });
      }),
    );
  }

  /** The investor locks `amount` on `c` and the custodian accepts it; returns the request id once accepted on chain. */
  async requestAndAccept(c: DeployedChain, investor: LocalAccount, amount: bigint): Promise<bigint> {
    const { redemptions } = await this.modulesOf(c);
    const { request, result } = await this.pub(c).simulateContract({ address: redemptions, abi: rwaRedemptionsAbi, functionName: 'requestRedeem', args: [this.didHash, amount], account: investor });
    await this.mined(c, await this.wallet(c, investor).writeContract(request));
    const acceptedAt = Math.floor(Date.now() / 1000) - 5;
    await this.post('/v1/redemptions/acceptances', await signAcceptance(DEV_CUSTODIAN_KEY, this.domain, { did: this.did, chainId: c.chainId, requestId: result.toString(), owner: investor.address, amount: amount.toString(), acceptedAt }));
    await this.waitUntil(`acceptance of request ${result} on ${c.name}`, async () => (await this.requestOf(c, result)).accepted);
    return result;
  }

  async requestOf(c: DeployedChain, id: bigint) {
    return this.pub(c).readContract({ address: (await this.modulesOf(c)).redemptions, abi: rwaRedemptionsAbi, functionName: 'requestOf', args: [this.didHash, id] });
  }

  /** Fulfils what the chain's stage allows now; returns what was filled in all after it applied. */
  async fulfilAllowed(c: DeployedChain, id: bigint, ref: string): Promise<bigint> {
    const { redemptions } = await this.modulesOf(c);
    const now = await this.pub(c).readContract({ address: redemptions, abi: rwaRedemptionsAbi, functionName: 'redeemableNow', args: [this.didHash, id] });
    const before = (await this.requestOf(c, id)).fulfilled;
    if (now === 0n) return before;
    const settledAt = Math.floor(Date.now() / 1000) - 5;
    await this.post('/v1/redemptions/fulfilments', await signFulfilment(DEV_CUSTODIAN_KEY, this.domain, { did: this.did, chainId: c.chainId, requestId: id.toString(), settlementRef: ref, amount: now.toString(), cashLegRef: keccak256(stringToBytes(`wire ${ref}`)), settledAt }));
    await this.waitUntil(`fulfilment ${ref} on ${c.name}`, async () => (await this.requestOf(c, id)).fulfilled === before + now);
    return before + now;
  }

  /** The oracle's open requests (requested, not cancelled, less the fulfilments issued), once it has seen `expected` of ours. */
  async oracleOpenRequests(mine: readonly { chainId: number; requestId: bigint; fulfilled: bigint }[]): Promise<bigint> {
    let open = 0n;
    await this.waitUntil('the oracle to see every replay request and fulfilment', async () => {
      const res = await fetch(`${this.oracleUrl}/v1/dids/${encodeURIComponent(this.did)}/redemptions`);
      if (!res.ok) return false;
      const parsed = parseRequests(await res.json());
      if (!parsed.ok) throw new ReplayError(`the oracle's redemptions view: ${parsed.issue.field} ${parsed.issue.message}`);
      const view = parsed.value;
      const seen = mine.every((m) => view.requests.some((r) => r.chainId === m.chainId && r.requestId === m.requestId.toString() && BigInt(r.fulfilled) === m.fulfilled));
      open = view.requests.filter((r) => r.status !== 'cancelled').reduce((s, r) => s + (BigInt(r.amount) > BigInt(r.fulfilled) ? BigInt(r.amount) - BigInt(r.fulfilled) : 0n), 0n);
      return seen;
    });
    return open;
  }

  /** The buy-back custodian's report of `poolCash` and one cash bucket of `liquid`; waits until every chain applied it. */
  async postBuyBack(poolCash: bigint, liquid: bigint): Promise<number> {
    const asOf = this.nextAsOf();
    const body = await signCustodianRequest('BuyBackReport', DEV_BUYBACK_CUSTODIAN_KEY, this.domain, {
      did: this.did,
      poolCash: poolCash.toString(),
      asOf,
      buckets: [{ kind: 'cash', amount: liquid.toString(), haircutBps: 0, daysToCash: 0 }],
    });
    await this.post('/v1/buyback-reports', body);
    await this.waitUntil(`buy-back report ${asOf} on every chain`, async () => (await Promise.all(this.deployment.chains.map(async (c) => (await this.buyBackOf(c)).report.asOf === BigInt(asOf)))).every(Boolean));
    return asOf;
  }

  private async buyBackOf(c: DeployedChain) {
    return this.pub(c).readContract({ address: (await this.modulesOf(c)).redemptions, abi: rwaRedemptionsAbi, functionName: 'buyBackOf', args: [this.didHash] });
  }

  /** What every chain shows now: its effective stage, the attested LCR and the buy-back pool. */
  async shown(): Promise<ChainShown[]> {
    return Promise.all(
      this.deployment.chains.map(async (c) => {
        const [view, [stage]] = await Promise.all([
          this.buyBackOf(c),
          this.pub(c).readContract({ address: (await this.modulesOf(c)).redemptions, abi: rwaRedemptionsAbi, functionName: 'effectiveStageOf', args: [this.didHash] }),
        ]);
        const lcr = Number(view.report.lcrBps);
        return { chain: c.name, chainId: c.chainId, stage: STAGES[stage] ?? 'A', lcrBps: lcr === UNBOUNDED ? null : lcr, poolCash: view.report.poolCash };
      }),
    );
  }
}

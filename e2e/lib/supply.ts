import { createPublicClient, http, parseEventLogs, type Address, type Hex, type PublicClient } from 'viem';
import { rwaHoldingsAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../../schemas/abi.js';
import type { DeployedChain } from '../../schemas/deployment.js';
import { SETTLEMENT_KIND } from '../../schemas/message.js';
import { didAssets } from '../../devnet/inspect.js';

/** What the chains say about one DID's units, summed over every chain of the deployment. */
export interface SupplyLedger {
  did: string;
  /** Sum of totalSupply() over the chains. */
  supply: bigint;
  subscribed: bigint;
  /** Redemption settlements (kind 2) and redemption fulfilments (kind 10) applied. */
  redeemed: bigint;
  /** Moves whose out leg applied but neither their in leg nor their return: ref hash, amount, age in seconds. */
  unfinished: { moveRef: Hex; amount: bigint; ageSeconds: bigint }[];
}

/** What one chain says about one DID: its supply, the settlements applied there, the moves returned there. */
export interface ChainReading {
  /** totalSupply() of the DID's holdings on the chain. */
  supply: bigint;
  /** SettlementApplied events of the DID: settlement kind, reference (a move's ref hash for its legs), amount, block. */
  settlements: { kind: number; ref: Hex; amount: bigint; blockNumber: bigint }[];
  /** Move references whose return (kind 16) applied on the chain (MoveSettled, outcome returned). */
  returned: ReadonlySet<Hex>;
  /** Units burned by redemption fulfilments (kind 10) on the chain. */
  fulfilled: bigint;
  /** Seconds from a block of the chain to its latest block. */
  ageSeconds(blockNumber: bigint): Promise<bigint>;
}

/** Reads one chain of the deployment for one DID; undefined where the DID has no holdings (not configured there). */
export type ChainReader = (chain: Pick<DeployedChain, 'rpcUrl' | 'receiver'>, didHash: Hex) => Promise<ChainReading | undefined>;

/** The chains as they are: events of the receiver and its redemptions contract, and the holdings' supply. */
export const readChain: ChainReader = async (chain, didHash) => {
  const client: PublicClient = createPublicClient({ transport: http(chain.rpcUrl) });
  const receiver = chain.receiver as Address;
  const assets = await didAssets(client, receiver, didHash);
  if (!assets) return undefined;
  const redemptions = await client.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'redemptions' });
  const [receiverLogs, redemptionLogs, supply, latest] = await Promise.all([
    client.getLogs({ address: receiver, fromBlock: 0n, toBlock: 'latest' }),
    client.getLogs({ address: redemptions, fromBlock: 0n, toBlock: 'latest' }),
    client.readContract({ address: assets.holdings, abi: rwaHoldingsAbi, functionName: 'totalSupply' }),
    client.getBlock(),
  ]);
  const events = parseEventLogs({ abi: rwaReceiverAbi, logs: receiverLogs });
  const settlements = events.flatMap((e) =>
    e.eventName === 'SettlementApplied' && e.args.did === didHash ? [{ kind: e.args.settlementKind, ref: e.args.settlementRef, amount: e.args.amount, blockNumber: e.blockNumber }] : [],
  );
  // A settlement the brakes queued (kind 14) emits no SettlementApplied: it counts when drained, with the amount and
  // direction its SettlementQueued told (mint as a subscription, burn as a redemption; queued move legs are not told apart).
  const queued = new Map(events.flatMap((e) => (e.eventName === 'SettlementQueued' && e.args.did === didHash ? [[e.args.nonce, e.args] as const] : [])));
  for (const e of events) {
    if (e.eventName !== 'QueuedSettlementApplied' || e.args.did !== didHash) continue;
    const q = queued.get(e.args.nonce);
    if (!q) continue;
    const kind = q.direction === 0 ? SETTLEMENT_KIND.subscription : SETTLEMENT_KIND.redemption;
    settlements.push({ kind, ref: `0x${'0'.repeat(64)}`, amount: q.amount, blockNumber: e.blockNumber });
  }
  const returned = new Set(events.flatMap((e) => (e.eventName === 'MoveSettled' && e.args.did === didHash && e.args.outcome === 3 ? [e.args.moveRef] : [])));
  const fulfilled = parseEventLogs({ abi: rwaRedemptionsAbi, logs: redemptionLogs, eventName: 'RedemptionFulfilled' })
    .filter((e) => e.args.did === didHash)
    .reduce((sum, e) => sum + e.args.amount, 0n);
  const ageSeconds = async (blockNumber: bigint) => latest.timestamp - (await client.getBlock({ blockNumber })).timestamp;
  return { supply, settlements, returned, fulfilled, ageSeconds };
};

/** The part of a deployment the invariant reads: its DIDs and, for each chain, where its receiver is. */
export interface LedgerScope {
  dids: readonly { did: string; didHash: string }[];
  chains: readonly Pick<DeployedChain, 'rpcUrl' | 'receiver'>[];
}

/** One DID's ledger from what each chain says (chains without the DID left out). */
export async function ledgerOf(did: string, chains: readonly ChainReading[]): Promise<SupplyLedger> {
  const all = chains.flatMap((c) => c.settlements);
  const sum = (kind: number) => all.filter((s) => s.kind === kind).reduce((t, s) => t + s.amount, 0n);
  const arrived = new Set(all.filter((s) => s.kind === SETTLEMENT_KIND.moveIn).map((s) => s.ref));
  const returned = new Set(chains.flatMap((c) => [...c.returned]));
  const unfinished: SupplyLedger['unfinished'] = [];
  for (const c of chains) {
    for (const s of c.settlements) {
      if (s.kind !== SETTLEMENT_KIND.moveOut || arrived.has(s.ref) || returned.has(s.ref)) continue;
      unfinished.push({ moveRef: s.ref, amount: s.amount, ageSeconds: await c.ageSeconds(s.blockNumber) });
    }
  }
  return {
    did,
    supply: chains.reduce((t, c) => t + c.supply, 0n),
    subscribed: sum(SETTLEMENT_KIND.subscription),
    redeemed: sum(SETTLEMENT_KIND.redemption) + chains.reduce((t, c) => t + c.fulfilled, 0n),
    unfinished,
  };
}

/** The ledger of every DID of the deployment, read from the chains' events and supplies. */
export async function supplyLedgers(d: LedgerScope, read: ChainReader = readChain): Promise<SupplyLedger[]> {
  return Promise.all(
    d.dids.map(async (did) => {
      const chains = (await Promise.all(d.chains.map((c) => read(c, did.didHash as Hex)))).filter((c): c is ChainReading => c !== undefined);
      return ledgerOf(did.did, chains);
    }),
  );
}

/**
 * Why a ledger breaks the supply invariant, or undefined when it holds: the supplies over the chains equal what was
 * subscribed less what was redeemed, less the units of moves still under way, and no move is under way for longer
 * than its deadline.
 */
export function conservationProblem(l: SupplyLedger, moveDeadlineSeconds: number): string | undefined {
  const inFlight = l.unfinished.reduce((t, m) => t + m.amount, 0n);
  const show = () => JSON.stringify(l, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (l.supply + inFlight !== l.subscribed - l.redeemed) return `supply not conserved for ${l.did}: ${show()}`;
  const late = l.unfinished.filter((m) => m.ageSeconds > BigInt(moveDeadlineSeconds));
  if (late.length > 0) return `moves unfinished past their deadline (${moveDeadlineSeconds} s) for ${l.did}: ${show()}`;
  return undefined;
}

/** The e2e supply invariant, checked after every e2e test (see conservationProblem). Throws with the ledger when it does not hold. */
export async function expectSupplyConserved(d: LedgerScope, opts: { moveDeadlineSeconds: number } = { moveDeadlineSeconds: 1_800 }, read: ChainReader = readChain): Promise<SupplyLedger[]> {
  const ledgers = await supplyLedgers(d, read);
  for (const l of ledgers) {
    const problem = conservationProblem(l, opts.moveDeadlineSeconds);
    if (problem) throw new Error(problem);
  }
  return ledgers;
}

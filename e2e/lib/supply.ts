import { createPublicClient, http, parseEventLogs, type Address, type Hex, type PublicClient } from 'viem';
import { rwaHoldingsAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../../schemas/abi.js';
import type { Deployment } from '../../schemas/deployment.js';
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

interface ChainLogs {
  client: PublicClient;
  settlements: { kind: number; ref: Hex; amount: bigint; blockNumber: bigint }[];
  returned: Set<Hex>;
  fulfilled: bigint;
  supply: bigint;
}

async function readChain(rpcUrl: string, receiver: Address, didHash: Hex): Promise<ChainLogs | undefined> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const assets = await didAssets(client, receiver, didHash);
  if (!assets) return undefined;
  const redemptions = await client.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'redemptions' });
  const [receiverLogs, redemptionLogs, supply] = await Promise.all([
    client.getLogs({ address: receiver, fromBlock: 0n, toBlock: 'latest' }),
    client.getLogs({ address: redemptions, fromBlock: 0n, toBlock: 'latest' }),
    client.readContract({ address: assets.holdings, abi: rwaHoldingsAbi, functionName: 'totalSupply' }),
  ]);
  const events = parseEventLogs({ abi: rwaReceiverAbi, logs: receiverLogs });
  const settlements = events.flatMap((e) =>
    e.eventName === 'SettlementApplied' && e.args.did === didHash ? [{ kind: e.args.settlementKind, ref: e.args.settlementRef, amount: e.args.amount, blockNumber: e.blockNumber }] : [],
  );
  const returned = new Set(events.flatMap((e) => (e.eventName === 'MoveSettled' && e.args.did === didHash && e.args.outcome === 3 ? [e.args.moveRef] : [])));
  const fulfilled = parseEventLogs({ abi: rwaRedemptionsAbi, logs: redemptionLogs, eventName: 'RedemptionFulfilled' })
    .filter((e) => e.args.did === didHash)
    .reduce((sum, e) => sum + e.args.amount, 0n);
  return { client, settlements, returned, fulfilled, supply };
}

/** The ledger of every DID of the deployment, read from the chains' events and supplies. */
export async function supplyLedgers(d: Deployment): Promise<SupplyLedger[]> {
  return Promise.all(
    d.dids.map(async (did) => {
      const chains = (await Promise.all(d.chains.map((c) => readChain(c.rpcUrl, c.receiver as Address, did.didHash as Hex)))).filter((c): c is ChainLogs => c !== undefined);
      const all = chains.flatMap((c) => c.settlements);
      const sum = (kind: number) => all.filter((s) => s.kind === kind).reduce((t, s) => t + s.amount, 0n);
      const arrived = new Set(all.filter((s) => s.kind === SETTLEMENT_KIND.moveIn).map((s) => s.ref));
      const returned = new Set(chains.flatMap((c) => [...c.returned]));
      const unfinished: SupplyLedger['unfinished'] = [];
      for (const c of chains) {
        const latest = await c.client.getBlock();
        for (const s of c.settlements) {
          if (s.kind !== SETTLEMENT_KIND.moveOut || arrived.has(s.ref) || returned.has(s.ref)) continue;
          const block = await c.client.getBlock({ blockNumber: s.blockNumber });
          unfinished.push({ moveRef: s.ref, amount: s.amount, ageSeconds: latest.timestamp - block.timestamp });
        }
      }
      return {
        did: did.did,
        supply: chains.reduce((t, c) => t + c.supply, 0n),
        subscribed: sum(SETTLEMENT_KIND.subscription),
        redeemed: sum(SETTLEMENT_KIND.redemption) + chains.reduce((t, c) => t + c.fulfilled, 0n),
        unfinished,
      };
    }),
  );
}

/**
 * The e2e supply invariant, checked after every e2e test: per DID, the supplies over the chains equal what was
 * subscribed less what was redeemed, less the units of moves still under way, and no move is under way for longer
 * than its deadline. Throws with the ledger when it does not hold.
 */
export async function expectSupplyConserved(d: Deployment, opts: { moveDeadlineSeconds: number } = { moveDeadlineSeconds: 1_800 }): Promise<SupplyLedger[]> {
  const ledgers = await supplyLedgers(d);
  for (const l of ledgers) {
    const inFlight = l.unfinished.reduce((t, m) => t + m.amount, 0n);
    const show = () => JSON.stringify(l, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    if (l.supply + inFlight !== l.subscribed - l.redeemed) throw new Error(`supply not conserved for ${l.did}: ${show()}`);
    const late = l.unfinished.filter((m) => m.ageSeconds > BigInt(opts.moveDeadlineSeconds));
    if (late.length > 0) throw new Error(`moves unfinished past their deadline (${opts.moveDeadlineSeconds} s) for ${l.did}: ${show()}`);
  }
  return ledgers;
}

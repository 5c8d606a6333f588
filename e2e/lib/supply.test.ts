import { describe, expect, it } from 'vitest';
import { keccak256, stringToBytes, type Hex } from 'viem';
import { SETTLEMENT_KIND } from '../../schemas/message.js';
import { conservationProblem, expectSupplyConserved, type ChainReader, type ChainReading } from './supply.js';

// Unit test of the e2e supply invariant's arithmetic: the chains are a fake reader (events, supplies, block ages).
const DID = { did: 'did:rwa:test:fund-s', didHash: keccak256(stringToBytes('did:rwa:test:fund-s')) };
const HUB = { name: 'hub', rpcUrl: 'http://hub', receiver: '0x0000000000000000000000000000000000000001' };
const SPOKE = { name: 'spoke', rpcUrl: 'http://spoke', receiver: '0x0000000000000000000000000000000000000002' };
const UNCONFIGURED = { name: 'other', rpcUrl: 'http://other', receiver: '0x0000000000000000000000000000000000000003' };
const MOVE = keccak256(stringToBytes('MOVE-1'));
const SUB = keccak256(stringToBytes('SUB-1'));

type Settled = ChainReading['settlements'][number];
const settled = (kind: keyof typeof SETTLEMENT_KIND, amount: bigint, ref: Hex = SUB, blockNumber = 1n): Settled => ({ kind: SETTLEMENT_KIND[kind], ref, amount, blockNumber });

/** A chain of the fake: its latest block is `latest` seconds after block 0, one second per block. */
function chain(over: Partial<Omit<ChainReading, 'ageSeconds'>> & { latest?: bigint } = {}): ChainReading {
  const latest = over.latest ?? 100n;
  return { supply: 0n, settlements: [], returned: new Set(), fulfilled: 0n, ...over, ageSeconds: async (b) => latest - b };
}

function reader(byUrl: Record<string, ChainReading | undefined>): ChainReader {
  return async (c, didHash) => {
    expect(didHash).toBe(DID.didHash);
    return byUrl[c.rpcUrl];
  };
}

const deployment = { dids: [DID], chains: [HUB, SPOKE, UNCONFIGURED] } as const;
const check = (byUrl: Record<string, ChainReading | undefined>, deadline = 60) => expectSupplyConserved(deployment, { moveDeadlineSeconds: deadline }, reader(byUrl));

describe('e2e supply invariant (e2e/lib/supply.ts)', () => {
  it('holds: subscriptions less redemptions and fulfilments, a move arrived, a move returned', async () => {
    const returned = keccak256(stringToBytes('MOVE-2'));
    const [ledger] = await check({
      'http://hub': chain({
        supply: 1_000n - 100n - 50n - 30n - 20n + 20n,
        settlements: [settled('subscription', 1_000n), settled('redemption', 100n), settled('moveOut', 30n, MOVE), settled('moveOut', 20n, returned)],
        fulfilled: 50n,
        returned: new Set([returned]),
      }),
      'http://spoke': chain({ supply: 200n + 30n, settlements: [settled('subscription', 200n), settled('moveIn', 30n, MOVE)] }),
    });
    expect(ledger).toMatchObject({ did: DID.did, supply: 1_050n, subscribed: 1_200n, redeemed: 150n, unfinished: [] });
  });

  it('counts a move under way within its deadline as in flight', async () => {
    const [ledger] = await check({
      'http://hub': chain({ supply: 970n, settlements: [settled('subscription', 1_000n), settled('moveOut', 30n, MOVE, 90n)] }),
      'http://spoke': chain({ supply: 0n }),
    });
    expect(ledger!.unfinished).toEqual([{ moveRef: MOVE, amount: 30n, ageSeconds: 10n }]);
  });

  it('fails when a chain holds more or fewer units than were settled', async () => {
    await expect(check({ 'http://hub': chain({ supply: 1_001n, settlements: [settled('subscription', 1_000n)] }) })).rejects.toThrow(/supply not conserved for did:rwa:test:fund-s/);
    // A move under way whose units also show on the to-chain without an in leg there: counted twice.
    await expect(
      check({
        'http://hub': chain({ supply: 970n, settlements: [settled('subscription', 1_000n), settled('moveOut', 30n, MOVE, 95n)] }),
        'http://spoke': chain({ supply: 30n }),
      }),
    ).rejects.toThrow(/supply not conserved/);
  });

  it('fails when a move is unfinished past its deadline (units on no chain: the stranded move of issue 18)', async () => {
    const late = { 'http://hub': chain({ supply: 970n, settlements: [settled('subscription', 1_000n), settled('moveOut', 30n, MOVE, 10n)] }) };
    await expect(check(late, 60)).rejects.toThrow(/moves unfinished past their deadline \(60 s\)/);
    await expect(check(late, 120)).resolves.toHaveLength(1);
  });

  it('names the ledger in its message, amounts as decimal strings', () => {
    const problem = conservationProblem({ did: DID.did, supply: 1n, subscribed: 2n, redeemed: 0n, unfinished: [] }, 60);
    expect(problem).toBe(`supply not conserved for ${DID.did}: {"did":"${DID.did}","supply":"1","subscribed":"2","redeemed":"0","unfinished":[]}`);
    expect(conservationProblem({ did: DID.did, supply: 2n, subscribed: 2n, redeemed: 0n, unfinished: [] }, 60)).toBeUndefined();
  });
});

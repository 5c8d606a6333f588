import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, isHex, zeroAddress, type Abi, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaNavFeedAbi } from '../schemas/abi.js';
import { ANVIL_DEPLOYER_KEY } from '../schemas/dev-keys.js';
import { postJson } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { demoNav } from '../devnet/demo.js';
import { didAssets } from '../devnet/inspect.js';
import { waitFor } from '../testkit/wait.js';

/**
 * Issue 22, item 1: a lending protocol's price oracle, deployed unchanged from its published npm artifact, reads our
 * NAV feed on every chain. Aave v3's AaveOracle (@aave/core-v3) takes a Chainlink AggregatorInterface per asset and
 * prices it with `latestAnswer()` (V2); a price <= 0 falls through to the fallback oracle, here none, so it reverts.
 * The DID's token on each chain is the asset; its RwaNavFeed is the source.
 */

/** The published artifact (Hardhat format), parsed at the edge: ABI and creation bytecode, used as they are. */
function aaveOracleArtifact(): { abi: Abi; bytecode: Hex } {
  const path = createRequire(import.meta.url).resolve('@aave/core-v3/artifacts/contracts/misc/AaveOracle.sol/AaveOracle.json');
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof json !== 'object' || json === null || !('abi' in json) || !('bytecode' in json)) throw new Error(`${path}: not a contract artifact`);
  const { abi, bytecode } = json;
  if (!Array.isArray(abi) || typeof bytecode !== 'string' || !isHex(bytecode) || bytecode.length <= 2) throw new Error(`${path}: no ABI or bytecode`);
  return { abi: abi as Abi, bytecode };
}

interface ChainUnderTest {
  name: string;
  pub: PublicClient;
  asset: Address;
  feed: Address;
  aaveOracle: Address;
}

/** USD quotes in Aave v3 carry 8 decimals, as do our NAV feeds. */
const BASE_CURRENCY_UNIT = 100_000_000n;
const NAV_1 = 100_250_000n; // 1.00250000
const NAV_2 = 100_310_000n;

let stack: Stack;
const chains: ChainUnderTest[] = [];
const aave = aaveOracleArtifact();

async function assetPrice(c: ChainUnderTest): Promise<bigint> {
  const price = await c.pub.readContract({ address: c.aaveOracle, abi: aave.abi, functionName: 'getAssetPrice', args: [c.asset] });
  if (typeof price !== 'bigint') throw new Error(`getAssetPrice on ${c.name} returned ${String(price)}`);
  return price;
}

async function postNav(nav: bigint, asOf: number): Promise<void> {
  const r = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(stack.deployment, nav, asOf));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
}

describe('a lending protocol reads the NAV feed: Aave v3 AaveOracle, unchanged, on every chain', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-lending-')), logLevel: 'warn' });
    const did = stack.deployment.dids[0]!.didHash as Hex;
    const account = privateKeyToAccount(ANVIL_DEPLOYER_KEY);
    for (const c of stack.deployment.chains) {
      const pub = createPublicClient({ transport: http(c.rpcUrl), pollingInterval: 50 });
      // didAssets reads the token and the feed in two calls, which may straddle the config's block: wait for both.
      const assets = await waitFor(
        async () => {
          const a = await didAssets(pub, c.receiver as Address, did);
          return a && a.navFeed !== zeroAddress ? a : undefined;
        },
        { what: `the DID's token and feed on ${c.name}`, timeoutMs: 60_000 },
      );
      const wallet = createWalletClient({ transport: http(c.rpcUrl), account });
      // The addresses provider is only read by Aave's admin setters (not used here); the deployer stands in for it.
      const hash = await wallet.deployContract({
        abi: aave.abi,
        bytecode: aave.bytecode,
        args: [account.address, [assets.holdings], [assets.navFeed], zeroAddress, zeroAddress, BASE_CURRENCY_UNIT],
        chain: null,
      });
      const receipt = await pub.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`deploying AaveOracle on ${c.name} failed`);
      chains.push({ name: c.name, pub, asset: assets.holdings, feed: assets.navFeed, aaveOracle: receipt.contractAddress });
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('has no price before the first NAV: latestAnswer is 0 and Aave falls back (to no oracle)', async () => {
    expect(chains).toHaveLength(stack.deployment.chains.length);
    for (const c of chains) {
      const source = await c.pub.readContract({ address: c.aaveOracle, abi: aave.abi, functionName: 'getSourceOfAsset', args: [c.asset] });
      expect(source).toBe(c.feed);
      expect(await c.pub.readContract({ address: c.feed, abi: rwaNavFeedAbi, functionName: 'latestAnswer' })).toBe(0n);
      expect((await c.pub.readContract({ address: c.feed, abi: rwaNavFeedAbi, functionName: 'freshness' })).doNotUse).toBe(true);
      await expect(assetPrice(c), `AaveOracle on ${c.name} priced an asset without a NAV`).rejects.toThrow();
    }
  });

  it('reads the same price on every chain once a NAV is delivered, and follows the next NAV', async () => {
    const asOf = Math.floor(Date.now() / 1000) - 60;
    await postNav(NAV_1, asOf);
    for (const c of chains) {
      await waitFor(async () => (await c.pub.readContract({ address: c.feed, abi: rwaNavFeedAbi, functionName: 'latestRound' })) === 1n, {
        what: `the NAV applied on ${c.name}`,
        timeoutMs: 60_000,
      });
    }
    const prices = await Promise.all(chains.map(assetPrice));
    expect(prices).toEqual(chains.map(() => NAV_1));
    for (const c of chains) {
      const f = await c.pub.readContract({ address: c.feed, abi: rwaNavFeedAbi, functionName: 'freshness' });
      expect(f).toMatchObject({ roundId: 1n, answer: NAV_1, asOf: BigInt(asOf), paused: false, stageC: false, stale: false, doNotUse: false });
      expect(f.updatedAt).toBeGreaterThanOrEqual(BigInt(asOf));
      const [roundId, answer, , updatedAt] = await c.pub.readContract({ address: c.feed, abi: rwaNavFeedAbi, functionName: 'latestRoundData' });
      expect([roundId, answer, updatedAt]).toEqual([1n, NAV_1, BigInt(asOf)]);
    }

    await postNav(NAV_2, asOf + 30);
    const next = await Promise.all(chains.map((c) => waitFor(async () => ((await assetPrice(c)) === NAV_2 ? NAV_2 : undefined), { what: `AaveOracle on ${c.name} at the second NAV`, timeoutMs: 60_000 })));
    expect(next).toEqual(chains.map(() => NAV_2));
    for (const c of chains) {
      expect(await c.pub.readContract({ address: c.feed, abi: rwaNavFeedAbi, functionName: 'getAnswer', args: [1n] })).toBe(NAV_1);
      expect(await c.pub.readContract({ address: c.feed, abi: rwaNavFeedAbi, functionName: 'latestRound' })).toBe(2n);
    }
  }, 180_000);
});

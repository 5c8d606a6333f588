import { formatUnits, getAddress, isAddress, zeroAddress, type Address, type Hex } from 'viem';
import { rwaHoldingsAbi, rwaNavFeedAbi, rwaReceiverAbi } from '../schemas/abi.js';
import type { DeployedChain } from '../schemas/deployment.js';
import { DID_FLAG, type Command } from './command.js';
import { didKeyOf, type Context } from './context.js';
import { onChain, publicClientOf } from './chain.js';
import { UsageError } from './errors.js';

interface Asset {
  holdings: Address;
  navFeed: Address;
}

/** The DID's holdings token and NAV feed on a chain, or undefined while its config has not arrived there. */
async function assetOn(c: DeployedChain, did: Hex): Promise<Asset | undefined> {
  const client = publicClientOf(c);
  const [state, navFeed] = await Promise.all([
    client.readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'didState', args: [did] }),
    client.readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'navFeedOf', args: [did] }),
  ]);
  return state.holdings === zeroAddress ? undefined : { holdings: state.holdings, navFeed };
}

/** Per chain: the investor's balance, the allow-list, supply and cap, in the token's units. */
async function holdingsOn(c: DeployedChain, did: Hex, investor: Address) {
  return onChain(c, 'reading holdings', async () => {
    const asset = await assetOn(c, did);
    if (!asset) return { chain: c.name, chainId: c.chainId, configured: false as const };
    const client = publicClientOf(c);
    const read = <F extends 'balanceOf' | 'isAllowed' | 'totalSupply' | 'supplyCap' | 'decimals' | 'paused'>(functionName: F, args?: readonly [Address]) =>
      client.readContract({ address: asset.holdings, abi: rwaHoldingsAbi, functionName, ...(args ? { args } : {}) } as never) as Promise<F extends 'isAllowed' | 'paused' ? boolean : F extends 'decimals' ? number : bigint>;
    const [balance, allowed, totalSupply, supplyCap, decimals, paused] = await Promise.all([
      read('balanceOf', [investor]),
      read('isAllowed', [investor]),
      read('totalSupply'),
      read('supplyCap'),
      read('decimals'),
      read('paused'),
    ]);
    return { chain: c.name, chainId: c.chainId, configured: true as const, holdings: asset.holdings, balance: balance.toString(), allowed, totalSupply: totalSupply.toString(), supplyCap: supplyCap.toString(), decimals, paused };
  });
}

/** Per chain: the NAV feed's latest round (none yet: round 0). */
async function navOn(c: DeployedChain, did: Hex) {
  return onChain(c, 'reading the NAV feed', async () => {
    const asset = await assetOn(c, did);
    if (!asset) return { chain: c.name, chainId: c.chainId, configured: false as const };
    const client = publicClientOf(c);
    const [round, decimals] = await Promise.all([
      client.readContract({ address: asset.navFeed, abi: rwaNavFeedAbi, functionName: 'latestRound' }),
      client.readContract({ address: asset.navFeed, abi: rwaNavFeedAbi, functionName: 'decimals' }),
    ]);
    if (round === 0n) return { chain: c.name, chainId: c.chainId, configured: true as const, navFeed: asset.navFeed, round: '0', nav: null, asOf: null, decimals };
    const [, answer, , updatedAt] = await client.readContract({ address: asset.navFeed, abi: rwaNavFeedAbi, functionName: 'latestRoundData' });
    return { chain: c.name, chainId: c.chainId, configured: true as const, navFeed: asset.navFeed, round: round.toString(), nav: answer.toString(), asOf: Number(updatedAt), decimals };
  });
}

const units = (v: string, decimals: number) => formatUnits(BigInt(v), decimals);

export const holdingsCommand: Command = {
  path: ['holdings'],
  summary: "an investor's holdings of a DID on every chain of the deployment (read through viem)",
  usage: '<investor>',
  positionals: 1,
  flags: [DID_FLAG],
  example: 'rwa holdings 0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  async run(ctx: Context, args) {
    const raw = args.positionals[0];
    if (!raw) throw new UsageError('missing <investor>', 'investor');
    if (!isAddress(raw, { strict: false })) throw new UsageError(`<investor>: not an address: ${raw}`, 'investor');
    const investor = getAddress(raw);
    const { did, hash } = didKeyOf(ctx, args);
    const chains = await Promise.all(ctx.deployment().chains.map((c) => holdingsOn(c, hash, investor)));
    const lines = [`${did}  investor ${investor}`];
    for (const v of chains) {
      if (!v.configured) lines.push(`  ${v.chain.padEnd(8)} ${String(v.chainId).padEnd(6)} not configured yet`);
      else
        lines.push(
          `  ${v.chain.padEnd(8)} ${String(v.chainId).padEnd(6)} holdings ${units(v.balance, v.decimals)}  supply ${units(v.totalSupply, v.decimals)} of cap ${units(v.supplyCap, v.decimals)}${v.allowed ? '' : '  (not allow-listed)'}${v.paused ? '  PAUSED' : ''}`,
        );
    }
    return { text: lines.join('\n'), json: { did, investor, chains } };
  },
};

export const navCommand: Command = {
  path: ['nav'],
  summary: "a DID's latest NAV on every chain of the deployment (read through viem)",
  flags: [DID_FLAG],
  example: 'rwa nav --did did:rwa:demo:ustb',
  async run(ctx: Context, args) {
    const { did, hash } = didKeyOf(ctx, args);
    const chains = await Promise.all(ctx.deployment().chains.map((c) => navOn(c, hash)));
    const lines = [did];
    for (const v of chains) {
      const head = `  ${v.chain.padEnd(8)} ${String(v.chainId).padEnd(6)}`;
      if (!v.configured) lines.push(`${head} not configured yet`);
      else if (v.nav === null) lines.push(`${head} no NAV yet`);
      else lines.push(`${head} NAV ${units(v.nav, v.decimals)}  round ${v.round}  as of ${new Date((v.asOf ?? 0) * 1000).toISOString()}`);
    }
    return { text: lines.join('\n'), json: { did, chains } };
  },
};

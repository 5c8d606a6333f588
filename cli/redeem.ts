import { parseEventLogs, type Address } from 'viem';
import { rwaHoldingsAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import { required, type ParsedArgs } from './args.js';
import { DID_FLAG, type Command } from './command.js';
import { chainOf, didKeyOf, type Context, type Output } from './context.js';
import { onChain, publicClientOf } from './chain.js';
import { UsageError } from './errors.js';
import { KEYSTORE_FLAG, signerOf } from './signer.js';
import { sendCall } from './tx.js';

/** The redemptions module with the holdings token's errors: a lock that fails there (ERC20InsufficientBalance, AssetPaused) is named too. */
const REDEMPTIONS_ABI = [...rwaRedemptionsAbi, ...rwaHoldingsAbi.filter((x) => x.type === 'error' && !rwaRedemptionsAbi.some((y) => y.type === 'error' && y.name === x.name))];

const CHAIN_FLAG = { name: 'chain', kind: 'value', placeholder: 'name|id', description: 'the chain of the request (a chain of the deployment)' } as const;

/** The chain's redemptions module (RwaReceiver.redemptions()). */
async function moduleOf(ctx: Context, args: ParsedArgs) {
  const chain = chainOf(ctx, required(args, 'chain'), 'chain');
  const module = await onChain(chain, 'reading the redemptions module', () => publicClientOf(chain).readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'redemptions' }));
  return { chain, module };
}

const uint = (args: ParsedArgs, name: string, max: bigint): bigint => {
  const raw = required(args, name);
  if (!/^\d+$/.test(raw) || BigInt(raw) === 0n || BigInt(raw) > max) throw new UsageError(`--${name}: expected a positive integer up to ${max}, got ${raw}`, name);
  return BigInt(raw);
};

export const redeemRequestCommand: Command = {
  path: ['redeem', 'request'],
  summary: "lock units for redemption as their holder (RwaRedemptions.requestRedeem on the chain, sent with the holder's key)",
  flags: [DID_FLAG, CHAIN_FLAG, { name: 'amount', kind: 'value', placeholder: 'base units', description: 'token base units to lock (1000000 = 1 unit of a 6-decimal token)' }, KEYSTORE_FLAG],
  details: 'The units stay locked until a custodian fulfils the request or you cancel it (possible until a custodian accepts it).',
  example: 'rwa redeem request --keystore holder.json --chain spoke-a --amount 10000000',
  async run(ctx: Context, args): Promise<Output> {
    const { did, hash } = didKeyOf(ctx, args);
    const amount = uint(args, 'amount', (1n << 128n) - 1n);
    const { chain, module } = await moduleOf(ctx, args);
    const { account } = await signerOf(args, ctx.io);
    const sent = await sendCall(chain, account, { address: module, abi: REDEMPTIONS_ABI, functionName: 'requestRedeem', args: [hash, amount] }, 'requestRedeem');
    const event = parseEventLogs({ abi: rwaRedemptionsAbi, eventName: 'RedeemRequested', logs: sent.receipt.logs })[0];
    const requestId = event ? event.args.requestId : (sent.result as bigint);
    return {
      text: `redemption request ${requestId} on ${chain.name}: ${amount} base units of ${did} locked by ${account.address} (tx ${sent.hash})\ncancel it (until a custodian accepts): rwa redeem cancel --keystore <file> --chain ${chain.name} --requestId ${requestId}`,
      json: { did, chainId: chain.chainId, requestId: requestId.toString(), owner: account.address, amount: amount.toString(), txHash: sent.hash },
    };
  },
};

export const redeemCancelCommand: Command = {
  path: ['redeem', 'cancel'],
  summary: 'cancel your redemption request and take the units back (RwaRedemptions.cancelRedeem; refused once accepted)',
  flags: [DID_FLAG, CHAIN_FLAG, { name: 'requestId', kind: 'value', placeholder: 'id', description: 'the request id requestRedeem gave' }, KEYSTORE_FLAG],
  example: 'rwa redeem cancel --keystore holder.json --chain spoke-a --requestId 1',
  async run(ctx: Context, args): Promise<Output> {
    const { did, hash } = didKeyOf(ctx, args);
    const requestId = uint(args, 'requestId', (1n << 64n) - 1n);
    const { chain, module } = await moduleOf(ctx, args);
    const { account } = await signerOf(args, ctx.io);
    const sent = await sendCall(chain, account, { address: module, abi: REDEMPTIONS_ABI, functionName: 'cancelRedeem', args: [hash, requestId] }, 'cancelRedeem');
    const event = parseEventLogs({ abi: rwaRedemptionsAbi, eventName: 'RedeemCancelled', logs: sent.receipt.logs })[0];
    const amount = event?.args.amount ?? 0n;
    return {
      text: `redemption request ${requestId} on ${chain.name} cancelled: ${amount} base units of ${did} back to ${account.address} (tx ${sent.hash})`,
      json: { did, chainId: chain.chainId, requestId: requestId.toString(), owner: account.address, amount: amount.toString(), txHash: sent.hash },
    };
  },
};

import type { Address } from 'viem';
import { rwaDidRegistryAbi, rwaReceiverAbi } from '../schemas/abi.js';
import { TRANSPORT_NAMES, type DeployedChain } from '../schemas/deployment.js';
import { intFlag, required, type ParsedArgs } from './args.js';
import { DID_FLAG, type Command } from './command.js';
import { chainOf, didKeyOf, type Context, type Output } from './context.js';
import { onChain, publicClientOf } from './chain.js';
import { UnreachableError, UsageError } from './errors.js';
import { KEYSTORE_FLAG, signerOf } from './signer.js';
import { sendCall } from './tx.js';
import { pollUntil } from './poll.js';

/** The hub chain (where the DID registry lives), as a deployed chain. */
function hubOf(ctx: Context): DeployedChain {
  const d = ctx.deployment();
  return d.chains.find((c) => c.chainId === d.hub.chainId) ?? { name: 'hub', chainId: d.hub.chainId, rpcUrl: d.hub.rpcUrl, receiver: d.hub.registry, confirmations: 0 };
}

/** `--transports cctp,wormhole` or a bit mask (`5`) as the registry's mask (cctp 1, ccip 2, wormhole 4). */
export function transportMask(raw: string): number {
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n < 1 || n > 7) throw new UsageError(`--transports: a mask from 1 to 7, got ${raw}`, 'transports');
    return n;
  }
  let mask = 0;
  for (const name of raw.split(',').map((s) => s.trim())) {
    const i = (TRANSPORT_NAMES as readonly string[]).indexOf(name);
    if (i === -1) throw new UsageError(`--transports: unknown transport ${name} (${TRANSPORT_NAMES.join(', ')})`, 'transports');
    mask |= 1 << i;
  }
  return mask;
}

const namesOf = (mask: number) => TRANSPORT_NAMES.filter((_, i) => (mask >> i) & 1).join(',') || 'none';

/** Waits until `chain` shows the rule (it arrives there as an attestation), or throws UnreachableError at the deadline. */
async function waitForRule(chain: DeployedChain, did: `0x${string}`, k: number, mask: number, timeoutMs: number): Promise<void> {
  const pub = publicClientOf(chain);
  const read = () => onChain(chain, 'reading the transport quorum', () => pub.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'transportQuorumOf', args: [did] }));
  await pollUntil(read, ([appliedK, appliedMask]) => appliedK === k && appliedMask === mask, timeoutMs, () => {
    throw new UnreachableError(`the ${k}-of-${namesOf(mask)} rule did not apply on ${chain.name} within ${timeoutMs / 1000} s`, chain.name);
  });
}

export const quorumSetCommand: Command = {
  path: ['quorum', 'set'],
  summary: 'require k of these transports to deliver before an attestation applies on a chain (issuer; RwaDidRegistry.setTransportQuorum on the hub)',
  flags: [
    DID_FLAG,
    { name: 'chain', kind: 'value', placeholder: 'name|id', description: 'the destination chain the rule is for' },
    { name: 'k', kind: 'value', placeholder: 'int', description: 'how many distinct transports must deliver (0 with --transports 0: no rule)' },
    { name: 'transports', kind: 'value', placeholder: 'names|mask', description: `comma-separated (${TRANSPORT_NAMES.join(', ')}) or a bit mask (cctp 1, ccip 2, wormhole 4)` },
    { name: 'wait', kind: 'switch', description: 'wait until the chain applied the rule (it travels as an attestation)' },
    { name: 'timeout', kind: 'value', placeholder: 'seconds', description: 'how long --wait waits [120]' },
    KEYSTORE_FLAG,
  ],
  example: 'rwa quorum set --keystore issuer.json --chain spoke-b --k 2 --transports cctp,ccip,wormhole --wait',
  async run(ctx: Context, args: ParsedArgs): Promise<Output> {
    const { did, hash } = didKeyOf(ctx, args);
    const chain = chainOf(ctx, required(args, 'chain'), 'chain');
    const k = intFlag(args, 'k', { min: 0, max: 3 });
    const rawTransports = required(args, 'transports');
    const mask = k === 0 && rawTransports === '0' ? 0 : transportMask(rawTransports);
    const timeoutMs = intFlag(args, 'timeout', { min: 1, max: 3600, fallback: 120 }) * 1000;
    const { account } = await signerOf(args, ctx.io);
    const hub = hubOf(ctx);
    const sent = await sendCall(hub, account, { address: ctx.deployment().hub.registry as Address, abi: rwaDidRegistryAbi, functionName: 'setTransportQuorum', args: [hash, BigInt(chain.chainId), k, mask] }, 'setTransportQuorum');
    if (args.switches.has('wait')) await waitForRule(chain, hash, k, mask, timeoutMs);
    return {
      text: `transport quorum of ${did} on ${chain.name}: ${k} of ${namesOf(mask)} set on the hub (tx ${sent.hash})${args.switches.has('wait') ? `; applied on ${chain.name}` : '; it reaches the chain as an attestation'}`,
      json: { did, chainId: chain.chainId, k, transports: mask, txHash: sent.hash, applied: args.switches.has('wait') ? true : null },
    };
  },
};

const POLICY_FIELDS = ['stageBBps', 'stageCBps', 'instalments', 'windowSeconds'] as const;
const POLICY_MAX = { stageBBps: 65_535, stageCBps: 65_535, instalments: 255, windowSeconds: 4_294_967_295 } as const;

export const policySetCommand: Command = {
  path: ['policy', 'set'],
  summary: "set the DID's redemption policy (issuer; RwaDidRegistry.setRedemptionPolicy on the hub); flags left out keep their current value",
  flags: [
    DID_FLAG,
    { name: 'stageBBps', kind: 'value', placeholder: 'bps', description: 'share of the pool requested in a day that moves redemptions to stage B (instalments)' },
    { name: 'stageCBps', kind: 'value', placeholder: 'bps', description: 'share that moves them to stage C (queued)' },
    { name: 'instalments', kind: 'value', placeholder: 'int', description: 'instalments of a stage-B redemption' },
    { name: 'windowSeconds', kind: 'value', placeholder: 'seconds', description: 'the pressure window' },
    { name: 'emergency', kind: 'value', placeholder: 'true|false', description: 'force stage C' },
    KEYSTORE_FLAG,
  ],
  example: 'rwa policy set --keystore issuer.json --stageBBps 500 --stageCBps 1500 --instalments 4',
  async run(ctx: Context, args: ParsedArgs): Promise<Output> {
    const { did, hash } = didKeyOf(ctx, args);
    const hub = hubOf(ctx);
    const registry = ctx.deployment().hub.registry as Address;
    const emergencyRaw = args.values.get('emergency');
    if (emergencyRaw !== undefined && emergencyRaw !== 'true' && emergencyRaw !== 'false') throw new UsageError(`--emergency: expected true or false, got ${emergencyRaw}`, 'emergency');
    if (POLICY_FIELDS.every((f) => !args.values.has(f)) && emergencyRaw === undefined) throw new UsageError('nothing to set: give at least one of --stageBBps, --stageCBps, --instalments, --windowSeconds, --emergency');
    const current = await onChain(hub, 'reading the redemption policy', () => publicClientOf(hub).readContract({ address: registry, abi: rwaDidRegistryAbi, functionName: 'redemptionPolicyOf', args: [hash] }));
    const next = {
      stageBBps: intFlag(args, 'stageBBps', { min: 0, max: POLICY_MAX.stageBBps, fallback: current.stageBBps }),
      stageCBps: intFlag(args, 'stageCBps', { min: 0, max: POLICY_MAX.stageCBps, fallback: current.stageCBps }),
      instalments: intFlag(args, 'instalments', { min: 0, max: POLICY_MAX.instalments, fallback: current.instalments }),
      windowSeconds: intFlag(args, 'windowSeconds', { min: 0, max: POLICY_MAX.windowSeconds, fallback: current.windowSeconds }),
      emergency: emergencyRaw === undefined ? current.emergency : emergencyRaw === 'true',
    };
    const { account } = await signerOf(args, ctx.io);
    const sent = await sendCall(hub, account, { address: registry, abi: rwaDidRegistryAbi, functionName: 'setRedemptionPolicy', args: [hash, next.stageBBps, next.stageCBps, next.instalments, next.windowSeconds, next.emergency] }, 'setRedemptionPolicy');
    return {
      text: `redemption policy of ${did}: stage B at ${next.stageBBps} bps, stage C at ${next.stageCBps} bps, ${next.instalments} instalments, window ${next.windowSeconds} s${next.emergency ? ', EMERGENCY' : ''} (tx ${sent.hash})`,
      json: { did, ...next, txHash: sent.hash },
    };
  },
};

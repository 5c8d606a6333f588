import { concatHex, type Address } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { curseTypedData } from '../schemas/eip712.js';
import type { DeployedChain } from '../schemas/deployment.js';
import { required, type ParsedArgs } from './args.js';
import type { Command } from './command.js';
import { chainOf, type Context, type Output } from './context.js';
import { onChain, publicClientOf } from './chain.js';
import { RefusedError } from './errors.js';
import { givenSignature, guardianAccountOf, quorumOf, type GuardianSignature } from './curse-keys.js';
import { KEYSTORE_FLAG, signerOf } from './signer.js';
import { sendCall } from './tx.js';

const FLAGS = [
  { name: 'chain', kind: 'value', placeholder: 'name|id', description: 'the chain whose receiver to curse or uncurse (a chain of the deployment)' },
  {
    name: 'guardian-key',
    kind: 'list',
    placeholder: 'file',
    description: "a guardian's key file: v3 keystore (password RWA_KEYSTORE_PASSWORD or prompt) or the hex key alone; repeat for several",
  },
  { name: 'signature', kind: 'list', placeholder: 'hex', description: "a guardian's signature made elsewhere (rwa ... --sign-only); repeat for several" },
  { name: 'sign-only', kind: 'switch', description: 'print the signatures of the --guardian-key files and send nothing' },
  { ...KEYSTORE_FLAG, description: `pays the gas [RWA_KEYSTORE, RWA_PRIVATE_KEY]; default: the first guardian key` },
] as const;

const DETAILS = `The receiver's guardian set is fixed at deployment (RwaReceiverCurse). One guardian curses; guardianQuorum()
of them uncurse. Both sign the receiver's current curseEpoch() in its EIP-712 domain (this chain, this receiver); an
uncurse moves the epoch on, so signatures made before it are dead. While cursed every delivery to the chain reverts
ChainCursed and the relayer holds that chain's jobs; they go, in order, after the uncurse. See docs/brakes-curse.md.`;

async function receiverState(chain: DeployedChain) {
  const pub = publicClientOf(chain);
  const address = chain.receiver as Address;
  return onChain(chain, 'reading the curse', async () => {
    const [cursed, epoch, quorum] = await Promise.all([
      pub.readContract({ address, abi: rwaReceiverAbi, functionName: 'cursed' }),
      pub.readContract({ address, abi: rwaReceiverAbi, functionName: 'curseEpoch' }),
      pub.readContract({ address, abi: rwaReceiverAbi, functionName: 'guardianQuorum' }),
    ]);
    const isGuardian = (a: Address) => pub.readContract({ address, abi: rwaReceiverAbi, functionName: 'isGuardian', args: [a] });
    return { address, cursed, epoch, quorum, isGuardian };
  });
}

/** Signs with every --guardian-key and adds every --signature, each with its signer; refuses a non-guardian. */
async function collect(ctx: Context, args: ParsedArgs, typed: ReturnType<typeof curseTypedData>, isGuardian: (a: Address) => Promise<boolean>) {
  const accounts: PrivateKeyAccount[] = [];
  for (const path of args.lists.get('guardian-key') ?? []) accounts.push(await guardianAccountOf(path, ctx.io));
  const sigs: GuardianSignature[] = [];
  for (const a of accounts) sigs.push({ signer: a.address, signature: await a.signTypedData(typed) });
  for (const raw of args.lists.get('signature') ?? []) sigs.push(await givenSignature(raw, typed));
  for (const s of sigs) {
    if (!(await isGuardian(s.signer))) throw new RefusedError(`${s.signer} is not a guardian of this receiver`, 'NotGuardian', 'guardian-key');
  }
  return { accounts, sigs };
}

/** Who sends: --keystore / RWA_PRIVATE_KEY when given, else the first guardian key. */
async function payerOf(ctx: Context, args: ParsedArgs, accounts: readonly PrivateKeyAccount[]): Promise<PrivateKeyAccount> {
  const given = args.values.get('keystore') ?? ctx.io.env.RWA_KEYSTORE ?? ctx.io.env.RWA_PRIVATE_KEY;
  if (given || !accounts[0]) return (await signerOf(args, ctx.io)).account;
  return accounts[0];
}

const signedOnly = (what: string, chain: DeployedChain, epoch: number, sigs: readonly GuardianSignature[]): Output => ({
  text: `${what} signatures for ${chain.name} epoch ${epoch} (pass each with --signature):\n${sigs.map((s) => `${s.signer} ${s.signature}`).join('\n')}`,
  json: { chainId: chain.chainId, epoch, signatures: sigs },
});

export const curseCommand: Command = {
  path: ['curse'],
  summary: "stop a chain: one guardian's signature curses its receiver (every delivery reverts ChainCursed until an uncurse)",
  flags: FLAGS,
  details: DETAILS,
  example: 'rwa curse --chain spoke-a --guardian-key guardian-1.json',
  async run(ctx: Context, args): Promise<Output> {
    const chain = chainOf(ctx, required(args, 'chain'), 'chain');
    const r = await receiverState(chain);
    if (r.cursed) throw new RefusedError(`${chain.name} is already cursed (epoch ${r.epoch})`, 'AlreadyCursed', 'chain');
    const typed = curseTypedData('Curse', BigInt(chain.chainId), r.address, r.epoch);
    const { accounts, sigs } = await collect(ctx, args, typed, r.isGuardian);
    const first = sigs[0];
    if (!first) throw new RefusedError('a curse needs one guardian: pass --guardian-key <file> or --signature <hex>', 'no_signature', 'guardian-key');
    if (args.switches.has('sign-only')) return signedOnly('curse', chain, r.epoch, sigs);
    const payer = await payerOf(ctx, args, accounts);
    const sent = await sendCall(chain, payer, { address: r.address, abi: rwaReceiverAbi, functionName: 'curse', args: [first.signature] }, 'curse');
    return {
      text: `${chain.name} cursed by guardian ${first.signer} (epoch ${r.epoch}, tx ${sent.hash}): deliveries to it stop until ${r.quorum} guardians uncurse`,
      json: { chainId: chain.chainId, cursed: true, epoch: r.epoch, guardian: first.signer, txHash: sent.hash },
    };
  },
};

export const uncurseCommand: Command = {
  path: ['uncurse'],
  summary: "lift a chain's curse: guardianQuorum guardians' signatures over the current epoch (the held deliveries then go in order)",
  flags: FLAGS,
  details: DETAILS,
  example: 'rwa uncurse --chain spoke-a --guardian-key guardian-1.json --guardian-key guardian-2.json',
  async run(ctx: Context, args): Promise<Output> {
    const chain = chainOf(ctx, required(args, 'chain'), 'chain');
    const r = await receiverState(chain);
    const typed = curseTypedData('Uncurse', BigInt(chain.chainId), r.address, r.epoch);
    const { accounts, sigs } = await collect(ctx, args, typed, r.isGuardian);
    if (args.switches.has('sign-only')) return signedOnly('uncurse', chain, r.epoch, sigs);
    if (!r.cursed) throw new RefusedError(`${chain.name} is not cursed (epoch ${r.epoch})`, 'NotCursed', 'chain');
    const quorum = quorumOf(sigs, r.quorum);
    const payer = await payerOf(ctx, args, accounts);
    const call = { address: r.address, abi: rwaReceiverAbi, functionName: 'uncurse', args: [concatHex(quorum.map((s) => s.signature))] };
    const sent = await sendCall(chain, payer, call, 'uncurse');
    return {
      text: `${chain.name} uncursed by ${quorum.map((s) => s.signer).join(', ')} (epoch ${r.epoch} lifted, next ${r.epoch + 1}; tx ${sent.hash})`,
      json: { chainId: chain.chainId, cursed: false, liftedEpoch: r.epoch, guardians: quorum.map((s) => s.signer), txHash: sent.hash },
    };
  },
};

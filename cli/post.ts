import type { Address, Hex } from 'viem';
import { signCustodianRequest } from '../clients/custodian.js';
import type { CustodianPrimaryType } from '../schemas/custodian-messages.js';
import { kindPath, sourceOf, type SignKind } from '../schemas/kinds/index.js';
import type { Command } from './command.js';
import type { Context, Output } from './context.js';
import { postJson, refusal } from './http.js';
import { bodyFrom, checkBody, fieldFlags } from './post-fields.js';
import { KEYSTORE_FLAG, signerOf } from './signer.js';

/** A request kind the CLI signs and posts: its command word, its sign kind (schemas/kinds) and EIP-712 type. */
export interface PostKind {
  command: string;
  kind: SignKind;
  primaryType: CustodianPrimaryType;
  /** Who signs it (the oracle checks the role on the hub registry). */
  signer: string;
  example: string;
}

/** Every kind with an oracle route (a test keeps this list equal to schemas/kinds ROUTED_SOURCES). */
export const POST_KINDS: readonly PostKind[] = [
  { command: 'settlement', kind: 'settlement', primaryType: 'SettlementProof', signer: 'a custodian', example: '--chainId spoke-a --kind subscription --settlementRef SUB-1 --investor 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --amount 1000000000 --cashLegRef 0x<32 bytes>' },
  { command: 'nav', kind: 'nav', primaryType: 'NavReport', signer: 'the NAV publisher', example: '--nav 100250000' },
  { command: 'reserve', kind: 'reserve', primaryType: 'ReserveReport', signer: 'a custodian', example: '--reserve 2000000000000' },
  { command: 'allowlist', kind: 'allowlist', primaryType: 'AllowListUpdate', signer: 'the issuer', example: '--ref ALLOW-2 --entries 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65=true' },
  { command: 'pause', kind: 'pause', primaryType: 'PauseOrder', signer: 'the issuer', example: '--ref PAUSE-1 --paused true' },
  { command: 'disclosure', kind: 'disclosure', primaryType: 'Disclosure', signer: 'the issuer', example: '--docKind auditReport --docHash 0x<32 bytes> --uri https://example.org/audit-2026.pdf' },
  { command: 'move', kind: 'move', primaryType: 'MoveInstruction', signer: 'a custodian', example: '--ref MOVE-1 --investor 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --amount 5000000 --fromChainId spoke-a --toChainId spoke-b' },
  { command: 'fulfilment', kind: 'redemptionFulfilment', primaryType: 'RedemptionFulfilment', signer: 'a custodian', example: '--chainId spoke-a --requestId 1 --settlementRef REDEEM-1 --amount 10000000 --cashLegRef 0x<32 bytes>' },
  { command: 'buyback', kind: 'buybackReport', primaryType: 'BuyBackReport', signer: 'the buy-back custodian', example: '--poolCash 2000000000000 --buckets cash:7800000000000:0:0,tbill:30000000000000:300:1' },
  { command: 'acceptance', kind: 'redemptionAcceptance', primaryType: 'RedemptionAcceptance', signer: 'a custodian', example: '--chainId spoke-a --requestId 1 --owner 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --amount 10000000' },
];

interface AttestationAnswer {
  id?: Hex;
  kind?: string;
  nonce?: string;
  deliveries?: { chainId: number }[];
  state?: string;
  out?: { id: Hex };
}

function describeAnswer(a: AttestationAnswer, created: boolean, path: string): string {
  const seen = created ? 'signed' : 'already signed (same request seen before)';
  if (a.out) return `move ${seen}: state ${a.state}, out leg ${a.out.id}\nwatch it: rwa status ${a.out.id}`;
  const chains = (a.deliveries ?? []).map((d) => d.chainId).join(', ');
  return `${a.kind ?? path} attestation ${seen}: ${a.id} (nonce ${a.nonce}) for chains ${chains}\nwatch it: rwa status ${a.id}`;
}

/** `rwa post <kind>`: builds the request from the flags, checks it against the kind's schema, signs, posts. */
export function postCommand(p: PostKind): Command {
  const source = sourceOf(p.kind);
  const path = kindPath(p.kind);
  return {
    path: ['post', p.command],
    summary: `sign and post a${/^[aeiou]/.test(p.command) ? 'n' : ''} ${p.command} request (signed by ${p.signer}; POST ${path})`,
    flags: [...fieldFlags(source.requestSchema), KEYSTORE_FLAG],
    details: `Flags are the fields of the request schema (${path}); the CLI checks them against that schema, signs the request (EIP-712, custodian domain of the hub registry in the deployment file) and posts it.`,
    example: `rwa post ${p.command} --keystore custodian.json ${p.example}`,
    async run(ctx: Context, args): Promise<Output> {
      const body = bodyFrom(source.requestSchema, ctx, args, Math.floor(Date.now() / 1000));
      checkBody(source.requestSchema, body);
      const { key } = await signerOf(args, ctx.io);
      const d = ctx.deployment();
      const signed = await signCustodianRequest(p.primaryType, key, { hubChainId: d.hub.chainId, registry: d.hub.registry as Address }, body as never);
      const a = await postJson(`${ctx.oracleUrl}${path}`, signed);
      if (a.status !== 200 && a.status !== 201) throw refusal(a, `POST ${path}`, ctx.oracleUrl);
      const answer = a.json as AttestationAnswer;
      return { text: describeAnswer(answer, a.status === 201, path), json: { status: a.status, created: a.status === 201, request: signed, answer } };
    },
  };
}

export const POST_COMMANDS: readonly Command[] = POST_KINDS.map(postCommand);

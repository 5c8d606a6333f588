import { concat, getAddress, zeroHash, type Address, type Hex } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import { refHash, type DidHash } from '../ids.js';
import type { FieldReader, Header } from './codec.js';
import { u } from './codec.js';
import { DRAFT, address, did, evmChainId, ref, signature, uintString, MAX_UINT64 } from './json.js';
import { RequestIssue, defineKind, defineSigning, defineSource, signedPostResponses } from './spec.js';
import type { SettlementMessage } from './settlement.js';

/**
 * A custodian's cross-chain move: one request, up to three kinds. Its out and in legs are settlements (kind 1,
 * settlement kinds moveOut / moveIn); a move whose in leg cannot land ends with a move void (kind 15) on the to-chain,
 * which consumes the move's reference there (its in leg can never apply afterwards), and a move return (kind 16) on
 * the from-chain, which mints the burned units back.
 *
 * ```
 * kinds 15, 16
 * offset size field
 *  42    32   moveRef      keccak256 of the custodian's move reference (the settlementRef of both legs)
 *  74    20   investor
 *  94    32   amount       token base units the out leg burned
 * 126     8   peerChainId  void: the from-chain; return: the to-chain
 * ```
 */
export const MOVE_END_LENGTH = 134;

export interface MoveEndMessage {
  kind: 'moveVoid' | 'moveReturn';
  did: DidHash;
  nonce: bigint;
  moveRef: Hex;
  investor: `0x${string}`;
  amount: bigint;
  peerChainId: bigint;
}

const encodeMoveEnd = (m: MoveEndMessage): Hex => concat([m.moveRef, m.investor, u(m.amount, 32), u(m.peerChainId, 8)]);
const decodeMoveEnd = (kind: MoveEndMessage['kind'], { did, nonce }: Header, r: FieldReader): MoveEndMessage => {
  r.exact(MOVE_END_LENGTH, kind === 'moveVoid' ? 'move void' : 'move return');
  return { kind, did, nonce, moveRef: r.at(42, 74), investor: r.address(74, 94), amount: r.big(94, 126), peerChainId: r.big(126, 134) };
};

export const moveVoid = defineKind({ code: 15, name: 'moveVoid', label: 'move void', encodeBody: encodeMoveEnd, decodeBody: (h, r) => decodeMoveEnd('moveVoid', h, r) });
export const moveReturn = defineKind({ code: 16, name: 'moveReturn', label: 'move return', encodeBody: encodeMoveEnd, decodeBody: (h, r) => decodeMoveEnd('moveReturn', h, r) });

export const moveRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/move-request.json',
  title: "Cross-chain move of an investor's units, signed by a custodian",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'ref', 'investor', 'amount', 'fromChainId', 'toChainId', 'signature'],
  properties: {
    did,
    ref: { ...ref, description: "custodian's reference (idempotency key)" },
    investor: address,
    amount: { ...uintString, description: 'token base units moved' },
    fromChainId: { ...evmChainId, description: 'EVM chain id where the units are burned (move-out)' },
    toChainId: { ...evmChainId, description: 'EVM chain id where the units are minted (move-in)' },
    signature,
  },
} as const;
export type MoveRequest = FromSchema<typeof moveRequestSchema>;

/**
 * Which leg of a cross-chain move: the burn on the from-chain, the mint on the to-chain after the burn applied; or,
 * when the mint cannot land, the void on the to-chain (kind 15: the in leg can never apply after it) and the return
 * to the from-chain (kind 16: mints the burned units back, signed only once the void applied).
 */
export type MoveLeg = 'out' | 'in' | 'void' | 'return';

/**
 * One leg of a custodian's move as the committee signs it: `settledAt` is the aggregator's clock when it issued the
 * leg (unix seconds); an in leg names the DID nonce of its out leg, which must be used on the from-chain first.
 */
export type MoveSource = { kind: 'move'; request: MoveRequest; leg: 'out'; settledAt: number } | { kind: 'move'; request: MoveRequest; leg: 'in' | 'void' | 'return'; settledAt: number; outNonce: string };

/**
 * A move leg is an ordinary settlement to one chain: moveOut burns on the from-chain (peer = to-chain), moveIn mints
 * on the to-chain (peer = from-chain). Both carry keccak256(ref) as settlement reference and no cash leg.
 */
export function moveAttestation(body: MoveRequest, leg: MoveLeg, settledAt: number, did: DidHash, nonce: bigint): SettlementMessage | MoveEndMessage {
  if (leg === 'void' || leg === 'return') {
    return {
      kind: leg === 'void' ? 'moveVoid' : 'moveReturn',
      did,
      nonce,
      moveRef: refHash(body.ref),
      investor: getAddress(body.investor),
      amount: BigInt(body.amount),
      peerChainId: BigInt(leg === 'void' ? body.fromChainId : body.toChainId),
    };
  }
  return {
    kind: 'settlement',
    did,
    nonce,
    settlementKind: leg === 'out' ? 'moveOut' : 'moveIn',
    settlementRef: refHash(body.ref),
    investor: getAddress(body.investor),
    amount: BigInt(body.amount),
    cashLegRef: zeroHash,
    settledAt: BigInt(settledAt),
    peerChainId: BigInt(leg === 'out' ? body.toChainId : body.fromChainId),
  };
}

/** The chain a move leg is signed for: the from-chain for the out leg and the return, the to-chain for the in leg and the void. */
export const moveLegChain = (body: MoveRequest, leg: MoveLeg): number => (leg === 'out' || leg === 'return' ? body.fromChainId : body.toChainId);

/** The kind a move leg is stored and fed under. */
export const moveLegKind = (leg: MoveLeg): 'settlement' | 'moveVoid' | 'moveReturn' => (leg === 'void' ? 'moveVoid' : leg === 'return' ? 'moveReturn' : 'settlement');

/** The idempotency key of a move leg among the DID's settlements (oracle store) and signed messages (signers). */
export const moveSourceRef = (ref: string, leg: MoveLeg): string => `move:${ref}:${leg}`;

export const moveSource = defineSource({
  kind: 'move',
  requestSchema: moveRequestSchema,
  extras: ['leg', 'settledAt', 'outNonce'],
  fromRequest: (request: MoveRequest, env): MoveSource => {
    if (env.leg === undefined) throw new RequestIssue('leg', 'is required for a move');
    if (env.settledAt === undefined) throw new RequestIssue('settledAt', 'is required for a move');
    if (env.leg === 'out') {
      if (env.outNonce !== undefined) throw new RequestIssue('outNonce', 'is not allowed for the out leg of a move');
      return { kind: 'move', request, leg: 'out', settledAt: env.settledAt };
    }
    if (env.outNonce === undefined) throw new RequestIssue('outNonce', `is required for the ${env.leg} leg of a move`);
    if (BigInt(env.outNonce) > MAX_UINT64) throw new RequestIssue('outNonce', 'exceeds 2^64 - 1');
    return { kind: 'move', request, leg: env.leg, settledAt: env.settledAt, outNonce: env.outNonce };
  },
  build: (s: MoveSource, did, nonce) => moveAttestation(s.request, s.leg, s.settledAt, did, nonce),
  ref: (s) => moveSourceRef(s.request.ref, s.leg),
  route: {
    path: '/v1/moves',
    schemaName: 'MoveRequest',
    summary: "Move an investor's units from one chain to another (custodian-signed MoveInstruction); the total over all chains is unchanged",
    description:
      'The move-out (settlement kind moveOut, burn) is signed for the from-chain at once; the move-in (moveIn, mint) is signed for the to-chain only after the move-out is applied on the from-chain.',
    responses: signedPostResponses({
      signer: 'a custodian',
      repeat: 'same ref and body seen before: the existing move',
      conflict: 'ref reused with a different body',
      created: 'move-out attestation signed; the move with both legs (in: null until issued)',
      refused: 'a rule refused it: chains not enabled or equal, balance on the from-chain, to-chain not configured, paused, investor not allow-listed or reserve cap',
    }),
  },
});

/**
 * The EIP-712 type the request is signed as (custodian domain of the hub registry) and its typed message: the JSON
 * body but its signature. Signed by a custodian: move an investor's units from one chain to another (burn there, mint here); total unchanged.
 */
export const moveSigning = defineSigning({
  primaryType: 'MoveInstruction',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'ref', type: 'string' },
    { name: 'investor', type: 'address' },
    { name: 'amount', type: 'uint256' },
    { name: 'fromChainId', type: 'uint64' },
    { name: 'toChainId', type: 'uint64' },
  ],
  message: (body: Omit<MoveRequest, 'signature'>) => ({
    did: body.did,
    ref: body.ref,
    investor: body.investor as Address,
    amount: BigInt(body.amount),
    fromChainId: BigInt(body.fromChainId),
    toChainId: BigInt(body.toChainId),
  }),
});

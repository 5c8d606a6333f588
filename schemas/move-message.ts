import { concat, numberToHex, type Hex } from 'viem';
import type { DidHash } from './ids.js';

/**
 * Move void (kind 15) and move return (kind 16) of wire layout v1; byte table in
 * contracts/src/libraries/AttestationCodec.sol. The end of a move whose in leg cannot land: the void goes to the
 * to-chain and consumes the move's reference there (its in leg can never apply afterwards), the return goes to the
 * from-chain and mints the burned units back. Signed as AdminAttestation(did, nonce, kind, body) like kinds 3..12.
 * schemas/message.ts re-exports everything here; import from there.
 *
 * ```
 * offset size field
 *  42    32   moveRef      keccak256 of the custodian's move reference (the settlementRef of both legs)
 *  74    20   investor
 *  94    32   amount       token base units the out leg burned
 *  126    8   peerChainId  void: the from-chain; return: the to-chain
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

const u = (value: bigint | number, bytes: number): Hex => numberToHex(value, { size: bytes });

export function encodeMoveEndBody(m: MoveEndMessage): Hex {
  return concat([m.moveRef, m.investor, u(m.amount, 32), u(m.peerChainId, 8)]);
}

export function decodeMoveEndBody(
  kind: MoveEndMessage['kind'],
  did: DidHash,
  nonce: bigint,
  r: { exact(expected: number, what: string): void; at(start: number, end: number): Hex; address(start: number, end: number): `0x${string}`; big(start: number, end: number): bigint },
): MoveEndMessage {
  r.exact(MOVE_END_LENGTH, kind === 'moveVoid' ? 'move void' : 'move return');
  return { kind, did, nonce, moveRef: r.at(42, 74), investor: r.address(74, 94), amount: r.big(94, 126), peerChainId: r.big(126, 134) };
}

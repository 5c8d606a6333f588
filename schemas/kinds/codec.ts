import { concat, numberToHex, size, stringToHex, type Hex } from 'viem';
import type { DidHash } from '../ids.js';

/**
 * What every kind module shares to write and read its body (wire layout v1; the byte table of each kind is in
 * contracts/src/libraries/AttestationCodec.sol). A body starts at offset 42, after the header
 * version (1) | kind (1) | did (32) | nonce (8); offsets below are absolute, as in the Solidity table.
 */
export const HEADER_LENGTH = 42;

/** The header fields a body decoder gets back, already read and checked. */
export interface Header {
  did: DidHash;
  nonce: bigint;
}

/** Big-endian unsigned integer of `bytes` bytes. */
export const u = (value: bigint | number, bytes: number): Hex => numberToHex(value, { size: bytes });

/** 1-byte length + UTF-8 bytes (config name and symbol). */
export const shortString = (s: string): Hex => {
  const hex = stringToHex(s);
  const len = size(hex);
  if (len > 255) throw new Error(`string longer than 255 bytes: ${s.slice(0, 20)}...`);
  return concat([u(len, 1), hex]);
};

/** Reads fields of one message; supplied by decodeMessage (schemas/message.ts), which owns the bounds checks and the error type. */
export interface FieldReader {
  /** Length of the whole message in bytes. */
  length: number;
  at(start: number, end: number): Hex;
  num(start: number, end: number): number;
  big(start: number, end: number): bigint;
  /** Checksummed address. */
  address(start: number, end: number): `0x${string}`;
  /** UTF-8 text; an empty range is the empty string. */
  text(start: number, end: number): string;
  /** The message must be exactly `expected` bytes (`what` names the kind in the error). */
  exact(expected: number, what: string): void;
  fail(reason: string): never;
}

/** The name of `value` in a code table (settlement kind, stage, ...), or a decode failure naming `what`. */
export const nameOf = <T extends Record<string, number>>(table: T, value: number, what: string, r: FieldReader): keyof T & string => {
  const name = (Object.keys(table) as (keyof T & string)[]).find((k) => table[k] === value);
  return name ?? r.fail(`unknown ${what} ${value}`);
};

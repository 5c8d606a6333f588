import { hashTypedData, isAddress, validateTypedData, type HashTypedDataParameters, type Hex, type TypedData } from 'viem';
import { keccak256Bytes } from './keccak.js';

/**
 * viem's `hashTypedData`, byte for byte, without its per-call work: the EIP-712 type hash is computed once per
 * (types object, primary type), the domain separator once per domain, and the fields are encoded straight into one
 * buffer and hashed with core/keccak.ts (native where it loads).
 *
 * It takes only what it is sure of: struct fields of the atomic types (uintN, intN, address, bool, bytes1..32) and
 * of `string`, `bytes` and `T[]` of those, with canonical values (bigint or safe-integer numbers in range, even-length
 * hex, checksummed or lower-case addresses, booleans, strings). Anything else - nested structs, fixed-size arrays,
 * an own `EIP712Domain` type, hex or numbers in another form, any value viem would refuse - goes to viem's
 * `hashTypedData` itself, which answers or throws exactly as before (core/typed-data-hash.test.ts holds the two
 * against each other on random and invalid inputs). Types objects are cached by identity: they are the constants
 * of schemas/eip712.ts, never mutated.
 */

/** Writes the 32-byte EIP-712 encoding of `value` at `offset` of `out` (zeroed), or returns false: not taken here. */
type Encoder = (value: unknown, out: Buffer, offset: number) => boolean;

interface Plan {
  typeHash: Uint8Array;
  fields: { name: string; encode: Encoder }[];
}

const INTEGER = /^(u?int)(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)$/;
const FIXED_BYTES = /^bytes([1-9]|[12][0-9]|3[0-2])$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const EVEN_HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
const TWO_256 = 1n << 256n;

const utf8 = (s: string) => Buffer.from(s, 'utf8');

function integerEncoder(signed: boolean, bits: number): Encoder {
  const max = (1n << BigInt(signed ? bits - 1 : bits)) - 1n;
  const min = signed ? -max - 1n : 0n;
  return (value, out, offset) => {
    let v: bigint;
    if (typeof value === 'bigint') v = value;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
    else return false;
    if (v > max || v < min) return false;
    if (v >= 0n && v <= 0xffffffffffffffffn) out.writeBigUInt64BE(v, offset + 24);
    else out.write((v < 0n ? TWO_256 + v : v).toString(16).padStart(64, '0'), offset, 32, 'hex');
    return true;
  };
}

const addressEncoder: Encoder = (value, out, offset) => {
  if (typeof value !== 'string' || !ADDRESS.test(value)) return false;
  // Mixed case must carry a valid checksum, as viem's isAddress (strict) requires; it caches that answer.
  if (value.toLowerCase() !== value && !isAddress(value)) return false;
  out.write(value.slice(2), offset + 12, 20, 'hex');
  return true;
};

const boolEncoder: Encoder = (value, out, offset) => {
  if (typeof value !== 'boolean') return false;
  if (value) out[offset + 31] = 1;
  return true;
};

function fixedBytesEncoder(size: number): Encoder {
  return (value, out, offset) => {
    if (typeof value !== 'string' || value.length !== 2 + 2 * size || !EVEN_HEX.test(value)) return false;
    out.write(value.slice(2), offset, size, 'hex');
    return true;
  };
}

const stringEncoder: Encoder = (value, out, offset) => {
  if (typeof value !== 'string') return false;
  out.set(keccak256Bytes(utf8(value)), offset);
  return true;
};

const bytesEncoder: Encoder = (value, out, offset) => {
  if (typeof value !== 'string' || !EVEN_HEX.test(value)) return false;
  out.set(keccak256Bytes(Buffer.from(value.slice(2), 'hex')), offset);
  return true;
};

/** The encoder of one member type, or undefined when this module leaves the type to viem. */
function atomicEncoder(type: string): Encoder | undefined {
  if (type === 'address') return addressEncoder;
  if (type === 'bool') return boolEncoder;
  if (type === 'string') return stringEncoder;
  if (type === 'bytes') return bytesEncoder;
  const int = INTEGER.exec(type);
  if (int) return integerEncoder(int[1] === 'int', Number(int[2]));
  const fixed = FIXED_BYTES.exec(type);
  if (fixed) return fixedBytesEncoder(Number(fixed[1]));
  return undefined;
}

/** `T[]` of a member type: keccak256 of its elements' encodings, one after another (an empty array: of no bytes). */
function arrayEncoder(element: Encoder): Encoder {
  return (value, out, offset) => {
    if (!Array.isArray(value)) return false;
    const items = Buffer.alloc(32 * value.length);
    for (let i = 0; i < value.length; i++) if (!element(value[i], items, 32 * i)) return false;
    out.set(keccak256Bytes(items), offset);
    return true;
  };
}

function fieldEncoder(type: string, types: Record<string, unknown>): Encoder | undefined {
  const base = type.replace(/(\[[0-9]*\])+$/, '');
  if (Object.hasOwn(types, base)) return undefined; // a struct member: viem's
  if (type.endsWith('[]') && !type.slice(0, -2).includes('[')) {
    const element = atomicEncoder(type.slice(0, -2));
    return element && arrayEncoder(element);
  }
  return atomicEncoder(type);
}

type Field = { name: string; type: string };
const isFieldList = (x: unknown): x is Field[] => Array.isArray(x) && x.every((f) => typeof f === 'object' && f !== null && typeof f.name === 'string' && typeof f.type === 'string');

/** The plan of `primaryType` in `types`, or null when viem must hash it (unknown type, struct members, types viem refuses). */
function compile(types: Record<string, unknown>, primaryType: string): Plan | null {
  if (Object.hasOwn(types, 'EIP712Domain') || primaryType === 'EIP712Domain') return null;
  const fields = types[primaryType];
  if (!Object.hasOwn(types, primaryType) || !isFieldList(fields)) return null;
  // The same refusals as viem for the whole types object (names shadowing Solidity types, `uint7`, ...).
  try {
    validateTypedData({ types: { EIP712Domain: [], ...types } as TypedData, primaryType: 'EIP712Domain', domain: undefined, message: undefined } as never);
  } catch {
    return null; // viem throws its own error for these types on every call
  }
  const plan: Plan = { typeHash: keccak256Bytes(utf8(`${primaryType}(${fields.map((f) => `${f.type} ${f.name}`).join(',')})`)), fields: [] };
  for (const f of fields) {
    const encode = fieldEncoder(f.type, types);
    if (!encode) return null;
    plan.fields.push({ name: f.name, encode });
  }
  return plan;
}

const plans = new WeakMap<object, Map<string, Plan | null>>();

function planOf(types: Record<string, unknown>, primaryType: string): Plan | null {
  let byPrimary = plans.get(types);
  if (!byPrimary) plans.set(types, (byPrimary = new Map()));
  let plan = byPrimary.get(primaryType);
  if (plan === undefined) byPrimary.set(primaryType, (plan = compile(types, primaryType)));
  return plan;
}

/** keccak256(encodeData) of `data` by `plan`, or undefined when a value is not taken here. */
function hashStruct(plan: Plan, data: Record<string, unknown>): Uint8Array | undefined {
  const out = Buffer.alloc(32 * (plan.fields.length + 1));
  out.set(plan.typeHash, 0);
  for (let i = 0; i < plan.fields.length; i++) {
    const f = plan.fields[i]!;
    if (!f.encode(data[f.name], out, 32 * (i + 1))) return undefined;
  }
  return keccak256Bytes(out);
}

/** The domain fields viem types by presence (getTypesForEIP712Domain), in its order. */
const DOMAIN_FIELDS: readonly Field[] = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' },
  { name: 'salt', type: 'bytes32' },
];

/** Domain separators by their field values (at most a few domains a process: chains x two families). */
const domainSeparators: { values: unknown[]; separator: Uint8Array }[] = [];
const DOMAIN_CACHE_MAX = 64;

/** The domain separator, computed once per domain value, or undefined when viem must hash it. */
function domainSeparatorOf(domain: Record<string, unknown>): Uint8Array | undefined {
  const values = DOMAIN_FIELDS.map((f) => domain[f.name]);
  // Same values (===: strings and bigints by value, numbers as numbers) give the same encoding.
  const hit = domainSeparators.find((d) => d.values.every((v, i) => v === values[i]));
  if (hit) return hit.separator;
  const present = DOMAIN_FIELDS.filter((_f, i) => values[i] != null);
  const plan = { typeHash: keccak256Bytes(utf8(`EIP712Domain(${present.map((f) => `${f.type} ${f.name}`).join(',')})`)), fields: present.map((f) => ({ name: f.name, encode: atomicEncoder(f.type)! })) };
  const separator = hashStruct(plan, domain);
  if (!separator) return undefined;
  if (domainSeparators.length >= DOMAIN_CACHE_MAX) domainSeparators.shift();
  domainSeparators.push({ values, separator });
  return separator;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The digest when every part is taken here, else undefined (viem must answer). */
export function fastTypedDataDigest(p: { domain?: unknown; types?: unknown; primaryType?: unknown; message?: unknown }): Hex | undefined {
  const domain = p.domain === undefined ? {} : p.domain;
  if (!isRecord(domain) || !isRecord(p.types) || typeof p.primaryType !== 'string' || !isRecord(p.message)) return undefined;
  const plan = planOf(p.types, p.primaryType);
  if (!plan) return undefined;
  const separator = domainSeparatorOf(domain);
  if (!separator) return undefined;
  const struct = hashStruct(plan, p.message);
  if (!struct) return undefined;
  const head = Buffer.allocUnsafe(66);
  head[0] = 0x19;
  head[1] = 0x01;
  head.set(separator, 2);
  head.set(struct, 34);
  return `0x${Buffer.from(keccak256Bytes(head)).toString('hex')}`;
}

/** viem's `hashTypedData` (same parameters, digest and errors), faster for the project's typed data. */
export function fastHashTypedData<const T extends TypedData | Record<string, unknown>, P extends keyof T | 'EIP712Domain'>(parameters: HashTypedDataParameters<T, P>): Hex {
  return fastTypedDataDigest(parameters as { domain?: unknown; types?: unknown; primaryType?: unknown; message?: unknown }) ?? hashTypedData(parameters);
}

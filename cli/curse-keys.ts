import { readFileSync } from 'node:fs';
import { isHex, recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { decryptKeystore, KeystoreError } from '../common/keystore.js';
import type { curseTypedData } from '../schemas/eip712.js';
import type { Io } from './context.js';
import { RefusedError, UsageError } from './errors.js';
import { isPrivateKey, passwordOf } from './signer.js';

/**
 * One guardian key file: a v3 keystore (JSON; password from RWA_KEYSTORE_PASSWORD or the prompt) or a file holding the
 * 32-byte hex key alone. Keys never come from argv.
 */
export async function guardianAccountOf(path: string, io: Io): Promise<PrivateKeyAccount> {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new UsageError(`--guardian-key: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, 'guardian-key');
  }
  if (raw.startsWith('{')) {
    try {
      return privateKeyToAccount(decryptKeystore(JSON.parse(raw) as unknown, await passwordOf(io, `password of ${path}: `)));
    } catch (err) {
      if (err instanceof KeystoreError || err instanceof SyntaxError) throw new RefusedError(`${path}: ${err.message}`, 'keystore', 'guardian-key');
      throw err;
    }
  }
  const key = raw.startsWith('0x') ? raw : `0x${raw}`;
  if (!isPrivateKey(key)) throw new UsageError(`--guardian-key: ${path} is neither a v3 keystore nor a 32-byte hex key`, 'guardian-key');
  return privateKeyToAccount(key);
}

export interface GuardianSignature {
  signer: Address;
  signature: Hex;
}

/** A 65-byte signature given with --signature (collected from a guardian who signed elsewhere), with its signer. */
export async function givenSignature(raw: string, typed: ReturnType<typeof curseTypedData>): Promise<GuardianSignature> {
  if (!isHex(raw) || raw.length !== 132) throw new UsageError(`--signature: expected 65 bytes of hex (0x + 130 digits), got ${raw.slice(0, 20)}...`, 'signature');
  try {
    return { signer: await recoverTypedDataAddress({ ...typed, signature: raw }), signature: raw };
  } catch (err) {
    throw new UsageError(`--signature: not a valid signature: ${err instanceof Error ? err.message : String(err)}`, 'signature');
  }
}

/**
 * The signatures an uncurse sends: distinct signers, strictly ascending (as the receiver checks), the lowest `quorum`
 * of them; fewer than `quorum` is a usage error naming how many are missing.
 */
export function quorumOf(sigs: readonly GuardianSignature[], quorum: number): GuardianSignature[] {
  const bySigner = new Map(sigs.map((s) => [s.signer.toLowerCase(), s]));
  const sorted = [...bySigner.values()].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1));
  if (sorted.length < quorum) {
    throw new UsageError(`an uncurse needs ${quorum} distinct guardians' signatures, got ${sorted.length}: add --guardian-key <file> or --signature <hex>`, 'guardian-key');
  }
  return sorted.slice(0, quorum);
}

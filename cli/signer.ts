import { readFileSync } from 'node:fs';
import { isHex, type Hex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { decryptKeystore, KeystoreError } from '../common/keystore.js';
import type { ParsedArgs, FlagSpec } from './args.js';
import type { Io } from './context.js';
import { RefusedError, UsageError } from './errors.js';

/** The flag of commands that sign: the key comes from a keystore file or RWA_PRIVATE_KEY, never from argv. */
export const KEYSTORE_FLAG: FlagSpec = {
  name: 'keystore',
  kind: 'value',
  placeholder: 'file',
  description: 'v3 keystore to sign with [RWA_KEYSTORE]; password from RWA_KEYSTORE_PASSWORD or a prompt. Else RWA_PRIVATE_KEY',
};

export const isPrivateKey = (v: string): v is Hex => isHex(v) && v.length === 66 && !/^0x0{64}$/.test(v);

/** The password of a keystore: RWA_KEYSTORE_PASSWORD, else asked on the terminal, else a usage error. */
export async function passwordOf(io: Io, question: string): Promise<string> {
  const env = io.env.RWA_KEYSTORE_PASSWORD;
  if (env !== undefined && env !== '') return env;
  if (io.promptSecret) return io.promptSecret(question);
  throw new UsageError('set RWA_KEYSTORE_PASSWORD (no terminal to ask the keystore password on)', 'RWA_KEYSTORE_PASSWORD');
}

/**
 * The account a command signs with: `--keystore` (or RWA_KEYSTORE) decrypted with its password, else RWA_PRIVATE_KEY.
 * A wrong password or a broken file is refused (exit 1); no key at all is a usage error (exit 2).
 */
export async function signerOf(args: ParsedArgs, io: Io): Promise<{ account: PrivateKeyAccount; key: Hex }> {
  const path = args.values.get('keystore') ?? io.env.RWA_KEYSTORE;
  if (path) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new UsageError(`--keystore: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, 'keystore');
    }
    try {
      const key = decryptKeystore(json, await passwordOf(io, `password of ${path}: `));
      return { account: privateKeyToAccount(key), key };
    } catch (err) {
      if (err instanceof KeystoreError) throw new RefusedError(`${path}: ${err.message}`, 'keystore', 'keystore');
      throw err;
    }
  }
  const env = io.env.RWA_PRIVATE_KEY?.trim();
  if (env) {
    if (!isPrivateKey(env)) throw new UsageError('RWA_PRIVATE_KEY: expected a 32-byte hex private key (0x + 64 hex digits)', 'RWA_PRIVATE_KEY');
    return { account: privateKeyToAccount(env), key: env };
  }
  throw new UsageError('no key: pass --keystore <file> (password in RWA_KEYSTORE_PASSWORD or at the prompt) or set RWA_PRIVATE_KEY', 'keystore');
}

import { existsSync, writeFileSync } from 'node:fs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Hex } from 'viem';
import { intFlag, required, type ParsedArgs } from './args.js';
import type { Command } from './command.js';
import type { Context, Io, Output } from './context.js';
import { UsageError } from './errors.js';
import { DEFAULT_SCRYPT_N, encryptKeystore } from './keystore-write.js';
import { isPrivateKey } from './signer.js';

const KEY_FLAGS = [
  { name: 'out', kind: 'value', placeholder: 'file', description: 'where to write the keystore (refused if it exists)' },
  { name: 'scrypt-n', kind: 'value', placeholder: 'n', description: `scrypt cost, a power of two [${DEFAULT_SCRYPT_N}]` },
] as const;

/** The new keystore's password: RWA_KEYSTORE_PASSWORD, or asked twice on the terminal. */
async function newPassword(io: Io): Promise<string> {
  const env = io.env.RWA_KEYSTORE_PASSWORD;
  if (env) return env;
  if (!io.promptSecret) throw new UsageError('set RWA_KEYSTORE_PASSWORD (no terminal to ask the new password on)', 'RWA_KEYSTORE_PASSWORD');
  const first = await io.promptSecret('new keystore password: ');
  if (first.length < 8) throw new UsageError('the password must have at least 8 characters', 'password');
  if ((await io.promptSecret('again: ')) !== first) throw new UsageError('the passwords differ', 'password');
  return first;
}

function write(args: ParsedArgs, key: Hex, password: string): { address: string; file: string } {
  const out = required(args, 'out');
  if (existsSync(out)) throw new UsageError(`--out: ${out} exists; choose another file`, 'out');
  const n = intFlag(args, 'scrypt-n', { min: 1024, max: 1_048_576, fallback: DEFAULT_SCRYPT_N });
  if ((n & (n - 1)) !== 0) throw new UsageError(`--scrypt-n: expected a power of two, got ${n}`, 'scrypt-n');
  writeFileSync(out, `${JSON.stringify(encryptKeystore(key, password, { scryptN: n }), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { address: privateKeyToAccount(key).address, file: out };
}

const done = (r: { address: string; file: string }, what: string): Output => ({ text: `${what} ${r.address} written to ${r.file}`, json: r });

export const keysNewCommand: Command = {
  path: ['keys', 'new'],
  summary: 'generate a key and write it as a v3 keystore (password from RWA_KEYSTORE_PASSWORD or the prompt)',
  flags: KEY_FLAGS,
  example: 'rwa keys new --out custodian.json',
  async run(ctx: Context, args): Promise<Output> {
    required(args, 'out');
    return done(write(args, generatePrivateKey(), await newPassword(ctx.io)), 'new key');
  },
};

export const keysImportCommand: Command = {
  path: ['keys', 'import'],
  summary: 'write an existing key as a v3 keystore; the key is read from RWA_PRIVATE_KEY or standard input, never argv',
  flags: KEY_FLAGS,
  example: 'rwa keys import --out issuer.json < issuer.key',
  async run(ctx: Context, args): Promise<Output> {
    required(args, 'out');
    const raw = (ctx.io.env.RWA_PRIVATE_KEY ?? (await ctx.io.readStdin()) ?? '').trim();
    if (raw === '') throw new UsageError('no key: set RWA_PRIVATE_KEY or pipe the key on standard input', 'RWA_PRIVATE_KEY');
    const key = raw.startsWith('0x') ? raw : `0x${raw}`;
    if (!isPrivateKey(key)) throw new UsageError('the key must be 32 bytes of hex (64 hex digits, 0x optional)', 'RWA_PRIVATE_KEY');
    return done(write(args, key, await newPassword(ctx.io)), 'imported key');
  },
};

import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { decryptKeystore } from '../common/keystore.js';
import { encryptKeystore } from './keystore-write.js';
import { deploymentFile, run } from './testkit.js';

const KEY = `0x${'42'.repeat(32)}` as const;
const FAST = ['--scrypt-n', '1024'];

describe('v3 keystores', () => {
  it('encryptKeystore writes what decryptKeystore reads back, and a wrong password fails the MAC', () => {
    const ks = encryptKeystore(KEY, 'correct horse', { scryptN: 1024 });
    expect(decryptKeystore(ks, 'correct horse')).toBe(KEY);
    expect(() => decryptKeystore(ks, 'wrong horse')).toThrow(/MAC mismatch/);
    expect(ks).toMatchObject({ version: 3, address: privateKeyToAccount(KEY).address.slice(2).toLowerCase(), crypto: { kdf: 'scrypt', kdfparams: { n: 1024, r: 8, p: 1, dklen: 32 } } });
  });

  it('rwa keys new writes a keystore (mode 600) and refuses to overwrite it', async () => {
    const { dir } = deploymentFile();
    const out = join(dir, 'new.json');
    const r = await run(['keys', 'new', '--out', out, ...FAST, '--json'], { RWA_KEYSTORE_PASSWORD: 'pw-12345678' });
    expect(r.code).toBe(0);
    const { address } = JSON.parse(r.stdout) as { address: string };
    expect(privateKeyToAccount(decryptKeystore(JSON.parse(readFileSync(out, 'utf8')), 'pw-12345678')).address).toBe(address);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const again = await run(['keys', 'new', '--out', out, ...FAST], { RWA_KEYSTORE_PASSWORD: 'pw-12345678' });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists/);
  });

  it('rwa keys import reads the key from RWA_PRIVATE_KEY or standard input, and a command then signs with it', async () => {
    const { dir } = deploymentFile();
    const fromEnv = await run(['keys', 'import', '--out', join(dir, 'a.json'), ...FAST], { RWA_KEYSTORE_PASSWORD: 'pw', RWA_PRIVATE_KEY: KEY });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain(privateKeyToAccount(KEY).address);
    const fromStdin = await run(['keys', 'import', '--out', join(dir, 'b.json'), ...FAST], { RWA_KEYSTORE_PASSWORD: 'pw' }, `${KEY.slice(2)}\n`);
    expect(fromStdin.code).toBe(0);
    expect(decryptKeystore(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')), 'pw')).toBe(KEY);
    const none = await run(['keys', 'import', '--out', join(dir, 'c.json')], { RWA_KEYSTORE_PASSWORD: 'pw' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/set RWA_PRIVATE_KEY or pipe the key/);
  });

  it('refuses a keystore with the wrong password (exit 1) and asks for the password when none is set (exit 2 without a terminal)', async () => {
    const { dir, path } = deploymentFile();
    const file = join(dir, 'k.json');
    await run(['keys', 'import', '--out', file, ...FAST], { RWA_KEYSTORE_PASSWORD: 'right', RWA_PRIVATE_KEY: KEY });
    const wrong = await run(['post', 'nav', '--nav', '1', '--keystore', file], { RWA_KEYSTORE_PASSWORD: 'wrong', RWA_DEPLOYMENT: path });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/MAC mismatch/);
    const noPassword = await run(['post', 'nav', '--nav', '1', '--keystore', file], { RWA_DEPLOYMENT: path });
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/set RWA_KEYSTORE_PASSWORD/);
  });
});

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { curseTypedData } from '../schemas/eip712.js';
import { DEV_CURSE_GUARDIAN_KEYS } from '../schemas/dev-keys.js';
import { givenSignature, guardianAccountOf, quorumOf } from './curse-keys.js';
import { encryptKeystore } from './keystore-write.js';
import { UsageError, RefusedError } from './errors.js';
import { run } from './testkit.js';

const io = (env: Record<string, string> = {}) => ({ env, stdout: () => {}, stderr: () => {}, readStdin: async () => undefined });
const accounts = DEV_CURSE_GUARDIAN_KEYS.map((k) => privateKeyToAccount(k));
const typed = curseTypedData('Uncurse', 31338n, `0x${'12'.repeat(20)}`, 4);

describe('rwa curse / uncurse', () => {
  it('documents both commands in --help with the guardian key flag', async () => {
    for (const cmd of ['curse', 'uncurse']) {
      const r = await run([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/--guardian-key <file>/);
      expect(r.stdout).toMatch(/--signature <hex>/);
      expect(r.stdout).toMatch(/curseEpoch/);
    }
  });

  it('refuses a guardian key on argv as any key', async () => {
    const r = await run(['curse', '--chain', 'spoke-a', '--private-key', `0x${'11'.repeat(32)}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never taken on the command line/);
  });
});

describe('guardian keys and signatures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rwa-curse-keys-'));

  it('reads a hex key file and a v3 keystore, refuses anything else', async () => {
    const hex = join(dir, 'g1.key');
    writeFileSync(hex, `${DEV_CURSE_GUARDIAN_KEYS[0]!.slice(2)}\n`);
    expect((await guardianAccountOf(hex, io())).address).toBe(accounts[0]!.address);
    const ks = join(dir, 'g2.json');
    writeFileSync(ks, JSON.stringify(encryptKeystore(DEV_CURSE_GUARDIAN_KEYS[1]!, 'guardian pw', { scryptN: 1024 })));
    expect((await guardianAccountOf(ks, io({ RWA_KEYSTORE_PASSWORD: 'guardian pw' }))).address).toBe(accounts[1]!.address);
    await expect(guardianAccountOf(ks, io({ RWA_KEYSTORE_PASSWORD: 'wrong password' }))).rejects.toBeInstanceOf(RefusedError);
    const junk = join(dir, 'junk.key');
    writeFileSync(junk, 'not a key');
    await expect(guardianAccountOf(junk, io())).rejects.toBeInstanceOf(UsageError);
  });

  it('recovers the signer of a collected signature; refuses malformed hex', async () => {
    const sig = await accounts[2]!.signTypedData(typed);
    expect(await givenSignature(sig, typed)).toEqual({ signer: accounts[2]!.address, signature: sig });
    await expect(givenSignature('0x1234', typed)).rejects.toBeInstanceOf(UsageError);
  });

  it('keeps distinct signers, ascending, the lowest quorum of them; too few is a usage error', async () => {
    const sigs = await Promise.all(accounts.map(async (a) => ({ signer: a.address, signature: await a.signTypedData(typed) })));
    const twice = [...sigs, sigs[0]!];
    const q = quorumOf(twice, 2);
    const ascending = [...accounts.map((a) => a.address)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(q.map((s) => s.signer)).toEqual(ascending.slice(0, 2));
    expect(() => quorumOf([sigs[0]!, sigs[0]!], 2)).toThrow(/needs 2 distinct guardians' signatures, got 1/);
  });
});

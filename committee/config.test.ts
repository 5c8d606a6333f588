import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { keccak256, type Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { DEV_COMMITTEE_KEYS, DEV_OUTSIDER_KEY } from '../schemas/dev-keys.js';
import { ConfigError } from '../oracle/config.js';
import { loadSignerConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'signer-config-'));
const deployment = join(dir, 'deployment.json');
writeFileSync(
  deployment,
  JSON.stringify({
    hub: { chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3' },
    chains: [{ name: 'hub', chainId: 31337, rpcUrl: 'http://127.0.0.1:8545', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 0 }],
    governance: { signers: ['0x5FbDB2315678afecb367f032d93F642f64180aa3'], threshold: 1 },
    dids: [],
  }),
);

function keystoreFile(key: Hex, password: string): string {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const derived = scryptSync(Buffer.from(password), salt, 32, { N: 1024, r: 8, p: 1 });
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(key.slice(2), 'hex')), cipher.final()]);
  const file = join(dir, `ks-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      version: 3,
      crypto: {
        cipher: 'aes-128-ctr',
        cipherparams: { iv: iv.toString('hex') },
        ciphertext: ciphertext.toString('hex'),
        kdf: 'scrypt',
        kdfparams: { dklen: 32, n: 1024, r: 8, p: 1, salt: salt.toString('hex') },
        mac: keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])).slice(2),
      },
    }),
  );
  return file;
}

const TOKEN = 'a'.repeat(16) + 'B'.repeat(16);
const base = { SIGNER_DEPLOYMENT: deployment, SIGNER_AUTH_TOKEN: TOKEN };

describe('signer loadSignerConfig', () => {
  it('takes the key from SIGNER_KEY, and this operator RPC endpoints over the deployment ones', () => {
    const key = generatePrivateKey();
    const c = loadSignerConfig({ ...base, SIGNER_KEY: key, SIGNER_RPC_URLS: '31337=http://my-node:8545' });
    expect(c.key).toBe(key);
    expect(c.keySource).toBe('SIGNER_KEY');
    expect(c.deployment.hub.rpcUrl).toBe('http://my-node:8545');
    expect(c.deployment.chains[0]!.rpcUrl).toBe('http://my-node:8545');
  });

  it('decrypts SIGNER_KEYSTORE with SIGNER_KEYSTORE_PASSWORD, and says so clearly when the password is wrong', () => {
    const key = generatePrivateKey();
    const file = keystoreFile(key, 's3cret');
    expect(loadSignerConfig({ ...base, SIGNER_KEYSTORE: file, SIGNER_KEYSTORE_PASSWORD: 's3cret' }).key).toBe(key);
    const wrong = () => loadSignerConfig({ ...base, SIGNER_KEYSTORE: file, SIGNER_KEYSTORE_PASSWORD: 'nope' });
    expect(wrong).toThrow(ConfigError);
    expect(wrong).toThrow('SIGNER_KEYSTORE: keystore MAC mismatch: wrong password or corrupted file');
    expect(() => loadSignerConfig({ ...base, SIGNER_KEYSTORE: file })).toThrow(/SIGNER_KEYSTORE_PASSWORD is required/);
    expect(() => loadSignerConfig({ ...base, SIGNER_KEYSTORE: join(dir, 'missing.json'), SIGNER_KEYSTORE_PASSWORD: 'x' })).toThrow(/cannot read a JSON keystore/);
  });

  it('uses a DEV-ONLY committee key only in dev mode, by index', () => {
    expect(loadSignerConfig({ ...base, SIGNER_DEV_MODE: '1', SIGNER_DEV_INDEX: '2' }).key).toBe(DEV_COMMITTEE_KEYS[2]);
    expect(() => loadSignerConfig({ ...base, SIGNER_DEV_MODE: '1', SIGNER_DEV_INDEX: '3' })).toThrow(/SIGNER_DEV_INDEX/);
    expect(() => loadSignerConfig({ ...base, SIGNER_DEV_MODE: '1' })).toThrow(/SIGNER_DEV_INDEX/);
    expect(() => loadSignerConfig({ ...base, SIGNER_DEV_INDEX: '0' })).toThrow(/a key is required/);
  });

  it('refuses any public DEV-ONLY key outside dev mode, whichever way it is given', () => {
    expect(() => loadSignerConfig({ ...base, SIGNER_KEY: DEV_COMMITTEE_KEYS[0] })).toThrow(/DEV-ONLY public key is refused outside dev mode/);
    expect(() => loadSignerConfig({ ...base, SIGNER_KEY: DEV_OUTSIDER_KEY })).toThrow(/DEV-ONLY/);
    const file = keystoreFile(DEV_COMMITTEE_KEYS[1]!, 'pw');
    expect(() => loadSignerConfig({ ...base, SIGNER_KEYSTORE: file, SIGNER_KEYSTORE_PASSWORD: 'pw' })).toThrow(/SIGNER_KEYSTORE: a DEV-ONLY/);
    expect(loadSignerConfig({ ...base, SIGNER_KEY: DEV_OUTSIDER_KEY, SIGNER_DEV_MODE: '1' }).key).toBe(DEV_OUTSIDER_KEY);
  });

  it('needs the aggregator token outside dev mode, 32+ printable characters, and keeps it', () => {
    const { SIGNER_AUTH_TOKEN: _t, ...noToken } = base;
    expect(() => loadSignerConfig({ ...noToken, SIGNER_KEY: generatePrivateKey() })).toThrow(/SIGNER_AUTH_TOKEN is required outside dev mode/);
    expect(() => loadSignerConfig({ ...base, SIGNER_KEY: generatePrivateKey(), SIGNER_AUTH_TOKEN: 'short' })).toThrow(/SIGNER_AUTH_TOKEN: expected at least 32 characters/);
    expect(() => loadSignerConfig({ ...base, SIGNER_KEY: generatePrivateKey(), SIGNER_AUTH_TOKEN: `${TOKEN} x` })).toThrow(/SIGNER_AUTH_TOKEN: expected printable characters without spaces/);
    expect(loadSignerConfig({ ...base, SIGNER_KEY: generatePrivateKey() }).authToken).toBe(TOKEN);
    expect(loadSignerConfig({ ...noToken, SIGNER_DEV_MODE: '1', SIGNER_DEV_INDEX: '0' }).authToken).toBeUndefined();
  });

  it('refuses ambiguous or malformed settings', () => {
    expect(() => loadSignerConfig({ ...base, SIGNER_KEY: generatePrivateKey(), SIGNER_KEYSTORE: 'x' })).toThrow(/not both/);
    expect(() => loadSignerConfig({ ...base, SIGNER_KEY: '0x1234' })).toThrow(/32-byte hex/);
    expect(() => loadSignerConfig({ ...base, SIGNER_KEY: generatePrivateKey(), SIGNER_PORT: 'x' })).toThrow(/SIGNER_PORT/);
    expect(() => loadSignerConfig({ ...base, SIGNER_KEY: generatePrivateKey(), SIGNER_RPC_URLS: 'hub=http://x' })).toThrow(/SIGNER_RPC_URLS/);
    expect(() => loadSignerConfig({ SIGNER_DEPLOYMENT: join(dir, 'none.json'), SIGNER_KEY: generatePrivateKey() })).toThrow(/SIGNER_DEPLOYMENT: cannot read/);
  });
});

describe('loadSignerConfig, SIGNER_PIN_LAG_SECONDS', () => {
  const base = { SIGNER_DEPLOYMENT: deployment, SIGNER_DEV_MODE: '1', SIGNER_DEV_INDEX: '0' };
  it('defaults to an hour and reads a value', () => {
    expect(loadSignerConfig(base).maxPinLagSeconds).toBe(3600);
    expect(loadSignerConfig({ ...base, SIGNER_PIN_LAG_SECONDS: '600' }).maxPinLagSeconds).toBe(600);
  });
  it('refuses a value that is not a non-negative integer', () => {
    expect(() => loadSignerConfig({ ...base, SIGNER_PIN_LAG_SECONDS: '-5' })).toThrow('SIGNER_PIN_LAG_SECONDS');
  });
});

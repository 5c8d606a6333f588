import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'oracle-config-'));
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
const env = (over: Record<string, string> = {}) => ({ ORACLE_DEPLOYMENT: deployment, ORACLE_DEV_MODE: '1', ...over });

describe('loadConfig, redemption watchers', () => {
  it('has defaults: read every second, from block 0, 5000 blocks per log read', () => {
    expect(loadConfig(env()).redemptions).toEqual({ syncMs: 1000, startBlock: 0n, logSpanBlocks: 5000n });
  });

  it('reads the environment', () => {
    expect(loadConfig(env({ ORACLE_REDEMPTION_SYNC_MS: '250', ORACLE_REDEMPTION_START_BLOCK: '19000000', ORACLE_LOG_SPAN_BLOCKS: '2000' })).redemptions).toEqual({
      syncMs: 250,
      startBlock: 19_000_000n,
      logSpanBlocks: 2000n,
    });
  });

  it.each([
    ['ORACLE_REDEMPTION_SYNC_MS', '0'],
    ['ORACLE_REDEMPTION_START_BLOCK', '-1'],
    ['ORACLE_REDEMPTION_START_BLOCK', '0x10'],
    ['ORACLE_LOG_SPAN_BLOCKS', 'many'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadConfig(env({ [name]: value }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ [name]: value }))).toThrow(name);
  });
});

describe('loadConfig, committee signer tokens', () => {
  const urls = 'http://s1:8101,http://s2:8102';
  const t1 = 'x'.repeat(32);
  const t2 = 'y'.repeat(40);

  it('pairs one token with each signer URL, in order', () => {
    expect(loadConfig(env({ ORACLE_SIGNER_URLS: urls, ORACLE_SIGNER_TOKENS: `${t1},${t2}` })).committee).toEqual({ mode: 'remote', urls: ['http://s1:8101', 'http://s2:8102'], timeoutMs: 5000, tokens: [t1, t2] });
  });

  it('needs them outside dev mode, one per URL, each 32+ characters', () => {
    const prod = { ORACLE_DEPLOYMENT: deployment, ORACLE_SIGNER_URLS: urls };
    expect(() => loadConfig(prod)).toThrow(/ORACLE_SIGNER_TOKENS is required with ORACLE_SIGNER_URLS outside dev mode/);
    expect(() => loadConfig({ ...prod, ORACLE_SIGNER_TOKENS: t1 })).toThrow(/expected 2 tokens, one per ORACLE_SIGNER_URLS entry/);
    expect(() => loadConfig({ ...prod, ORACLE_SIGNER_TOKENS: `${t1},short` })).toThrow(/ORACLE_SIGNER_TOKENS\[1\]: expected at least 32 characters/);
    expect(loadConfig(env({ ORACLE_SIGNER_URLS: urls })).committee).toEqual({ mode: 'remote', urls: ['http://s1:8101', 'http://s2:8102'], timeoutMs: 5000 });
  });
});

describe('loadConfig, public read limits', () => {
  it('has defaults: 5 reads/s per client (burst 10), 50/s in all, 1 s staleness, 4 chain calls', () => {
    expect(loadConfig(env()).reads).toEqual({
      cacheMs: 1000,
      chainConcurrency: 4,
      perClient: { rate: 5, burst: 10 },
      global: { rate: 50, burst: 50 },
      trustedClients: [],
      clientHeader: undefined,
    });
  });

  it('reads the environment', () => {
    const reads = loadConfig(
      env({
        ORACLE_READ_CACHE_MS: '250',
        ORACLE_READ_RATE: '0.5',
        ORACLE_READ_BURST: '3',
        ORACLE_READ_GLOBAL_RATE: '20',
        ORACLE_READ_GLOBAL_BURST: '40',
        ORACLE_READ_CHAIN_CONCURRENCY: '2',
        ORACLE_READ_TRUSTED_CLIENTS: '10.0.0.1, 10.0.0.2',
        ORACLE_READ_CLIENT_HEADER: 'X-Forwarded-For',
      }),
    ).reads;
    expect(reads).toEqual({ cacheMs: 250, chainConcurrency: 2, perClient: { rate: 0.5, burst: 3 }, global: { rate: 20, burst: 40 }, trustedClients: ['10.0.0.1', '10.0.0.2'], clientHeader: 'x-forwarded-for' });
  });

  it.each([
    ['ORACLE_READ_CACHE_MS', '-1'],
    ['ORACLE_READ_CACHE_MS', '120000'],
    ['ORACLE_READ_RATE', '0'],
    ['ORACLE_READ_GLOBAL_RATE', 'fast'],
    ['ORACLE_READ_BURST', '1.5'],
    ['ORACLE_READ_CHAIN_CONCURRENCY', '0'],
    ['ORACLE_READ_CLIENT_HEADER', 'x forwarded'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadConfig(env({ [name]: value }))).toThrow(name);
  });
});

describe('loadConfig, group-commit batch size', () => {
  it('proposes up to 64 settlements of a DID per committee round by default, ORACLE_SIGN_BATCH_MAX otherwise', () => {
    expect(loadConfig(env()).signBatchMax).toBe(64);
    expect(loadConfig(env({ ORACLE_SIGN_BATCH_MAX: '1' })).signBatchMax).toBe(1);
  });

  it.each(['0', '65', '2.5', 'many'])('refuses ORACLE_SIGN_BATCH_MAX=%s (a signer takes at most 64 per batch)', (value) => {
    expect(() => loadConfig(env({ ORACLE_SIGN_BATCH_MAX: value }))).toThrow(/ORACLE_SIGN_BATCH_MAX: expected 1..64/);
  });
});

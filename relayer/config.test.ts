import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseDisabledTransports } from './config.js';

describe('RELAYER_DISABLED_TRANSPORTS', () => {
  it('is empty when unset or blank, and reads comma-separated transport names', () => {
    expect([...parseDisabledTransports(undefined)]).toEqual([]);
    expect([...parseDisabledTransports('')]).toEqual([]);
    expect([...parseDisabledTransports(' ccip , wormhole ')]).toEqual(['ccip', 'wormhole']);
  });

  it('refuses an unknown name, naming the variable and the known ones', () => {
    expect(() => parseDisabledTransports('ccip,layerzero')).toThrow(ConfigError);
    expect(() => parseDisabledTransports('ccip,layerzero')).toThrow('RELAYER_DISABLED_TRANSPORTS: unknown transport "layerzero" (one of cctp, ccip, wormhole)');
  });
});

describe('RELAYER_ADMIN_TOKEN', () => {
  const env = { RELAYER_DEPLOYMENT: join(import.meta.dirname, '..', 'docs', 'deployment.testnet.example.json'), RELAYER_DEV_MODE: '1' };

  it('is off when unset, read when long enough, refused when short or with spaces', () => {
    expect(loadConfig(env).adminToken).toBeUndefined();
    expect(loadConfig({ ...env, RELAYER_ADMIN_TOKEN: 'x'.repeat(32) }).adminToken).toBe('x'.repeat(32));
    expect(() => loadConfig({ ...env, RELAYER_ADMIN_TOKEN: 'short' })).toThrow('RELAYER_ADMIN_TOKEN: expected at least 32 characters');
    expect(() => loadConfig({ ...env, RELAYER_ADMIN_TOKEN: `${'x'.repeat(32)} y` })).toThrow(/RELAYER_ADMIN_TOKEN: expected printable characters without spaces/);
  });
});

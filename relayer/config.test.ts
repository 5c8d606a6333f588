import { describe, expect, it } from 'vitest';
import { ConfigError, parseDisabledTransports } from './config.js';

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

import { describe, expect, it } from 'vitest';
import { parseStatusArgs } from './config.js';
import { ConfigError } from '../common/config-error.js';

describe('parseStatusArgs', () => {
  it('takes the defaults of a local `npm start`', () => {
    expect(parseStatusArgs([])).toEqual({
      deploymentPath: 'data/deployment.json',
      relayerUrl: 'http://127.0.0.1:8090',
      oracleUrl: undefined,
      host: '127.0.0.1',
      port: 8070,
      refreshMs: 1000,
      timeoutMs: 3000,
      logLevel: 'info',
    });
  });

  it('reads every option and drops a trailing slash of a URL', () => {
    const c = parseStatusArgs(['--deployment', 'd.json', '--relayer', 'http://r:1/', '--oracle', 'https://o', '--port', '0', '--refresh-ms', '2000', '--host', '0.0.0.0']);
    expect(c).toMatchObject({ deploymentPath: 'd.json', relayerUrl: 'http://r:1', oracleUrl: 'https://o', port: 0, refreshMs: 2000, host: '0.0.0.0' });
  });

  it('answers help to --help and -h', () => {
    expect(parseStatusArgs(['--help'])).toBe('help');
    expect(parseStatusArgs(['-h'])).toBe('help');
  });

  it.each([
    [['--port', '70000'], '--port'],
    [['--port', 'x'], '--port'],
    [['--refresh-ms', '10'], '--refresh-ms'],
    [['--relayer', 'ftp://x'], '--relayer'],
    [['--oracle', 'not a url'], '--oracle'],
    [['--log-level', 'loud'], '--log-level'],
    [['--nope'], 'nope'],
    [['extra'], 'extra'],
  ])('refuses %j naming the option', (argv, named) => {
    expect(() => parseStatusArgs(argv)).toThrow(ConfigError);
    expect(() => parseStatusArgs(argv)).toThrow(named);
  });
});

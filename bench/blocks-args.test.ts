import { describe, expect, it } from 'vitest';
import { BenchArgError, parseBlocksArgs } from './blocks-args.js';

describe('parseBlocksArgs', () => {
  it('defaults to all three block times, 300 settlements, 16 clients, 1 DID, 120 s rounds, 5 isolated', () => {
    expect(parseBlocksArgs([])).toEqual({ blockTimes: [0, 2, 12], settlements: 300, clients: 16, dids: 1, roundTimeoutS: 120, isolated: 5, json: false });
  });

  it('reads every option, as "--name value" and "--name=value"', () => {
    const o = parseBlocksArgs(['--block-time', '2,12', '--settlements=10000', '--clients', '32', '--dids', '2', '--round-timeout', '60', '--isolated=0', '--json', '--anchors', '/x.md']);
    expect(o).toEqual({ blockTimes: [2, 12], settlements: 10000, clients: 32, dids: 2, roundTimeoutS: 60, isolated: 0, json: true, anchorsPath: '/x.md' });
  });

  it('keeps the order of the block times and drops repeats', () => {
    expect(parseBlocksArgs(['--block-time', '12,0,12,2'])).toMatchObject({ blockTimes: [12, 0, 2] });
  });

  it('answers help for --help and -h', () => {
    expect(parseBlocksArgs(['--settlements', '5', '--help'])).toBe('help');
    expect(parseBlocksArgs(['-h'])).toBe('help');
  });

  it.each([
    [['--block-time', '2,x'], /--block-time: expected comma-separated whole seconds.*"2,x"/],
    [['--block-time', ''], /--block-time/],
    [['--block-time', '-1'], /--block-time: a value is required|--block-time: expected/],
    [['--block-time', '1.5'], /--block-time: expected/],
    [['--block-time', '3601'], /--block-time: expected/],
    [['--settlements', '0'], /--settlements: expected a whole number from 1 to 1000000, got "0"/],
    [['--settlements', '1e3'], /--settlements: expected a whole number/],
    [['--clients', '2000'], /--clients: expected a whole number from 1 to 1024/],
    [['--dids', 'two'], /--dids: expected a whole number/],
    [['--round-timeout'], /--round-timeout: a value is required/],
    [['--round-timeout', '--json'], /--round-timeout: a value is required/],
    [['--settlement', '5'], /unknown option "--settlement"/],
    [['300'], /unknown option "300"/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseBlocksArgs(argv)).toThrow(BenchArgError);
    expect(() => parseBlocksArgs(argv)).toThrow(message);
  });
});

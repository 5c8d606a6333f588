import { describe, expect, it } from 'vitest';
import { COMMANDS, GROUPS } from './commands.js';
import { POST_KINDS } from './post.js';
import { ROUTED_SOURCES } from '../schemas/kinds/index.js';
import { deploymentFile, run } from './testkit.js';
import { parseArgs } from './args.js';

const KEY = `0x${'11'.repeat(32)}`;

describe('rwa: keys never on the command line', () => {
  it.each([
    ['post', 'settlement', '--private-key', KEY],
    ['post', 'nav', `--private-key=${KEY}`],
    ['redeem', 'request', '--key', KEY],
    ['--privateKey', KEY, 'status'],
    ['quorum', 'set', '--mnemonic', 'test test'],
    ['keys', 'import', '--out', 'x.json', '--password', 'hunter2'],
  ])('refuses %s %s ... with exit 2 and says where keys come from', async (...argv) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never taken on the command line/);
    expect(r.stderr).toMatch(/--keystore <file>/);
    expect(r.stderr).toMatch(/RWA_PRIVATE_KEY/);
    expect(r.stdout).toBe('');
  });

  it('answers --json with the usage error and the flag as field', async () => {
    const r = await run(['post', 'settlement', '--json', '--private-key', KEY]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'usage', message: expect.stringMatching(/^--private-key:/), field: 'private-key' } });
  });
});

describe('rwa: argument parsing', () => {
  it('refuses an unknown flag, naming it (exit 2)', async () => {
    const r = await run(['status', `0x${'ab'.repeat(32)}`, '--colour']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --colour/);
    const nav = await run(['post', 'nav', '--navv', '1']);
    expect(nav.code).toBe(2);
    expect(nav.stderr).toMatch(/unknown flag --navv/);
  });

  it('refuses an unknown command, a group without a subcommand, a flag without a value and an extra argument', async () => {
    expect((await run(['settle'])).code).toBe(2);
    const group = await run(['post']);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/missing subcommand of post[\s\S]*rwa post settlement/);
    expect((await run(['post', 'settle'])).stderr).toMatch(/unknown command post settle/);
    expect((await run(['status', '--oracle'])).stderr).toMatch(/--oracle needs a value/);
    expect((await run(['status', 'a', 'b'])).stderr).toMatch(/unexpected argument b/);
    expect((await run([])).code).toBe(2);
  });

  it('reads --name value, --name=value, switches, repeated lists and -- ', () => {
    const flags = [
      { name: 'chain', kind: 'value', description: '' },
      { name: 'entries', kind: 'list', description: '' },
      { name: 'wait', kind: 'switch', description: '' },
    ] as const;
    const a = parseArgs(['x', '--chain=spoke-a', '--entries', 'a=true', '--wait', '--entries', 'b=false', '--json', '--', '--not-a-flag'], flags, 2);
    expect(a.values.get('chain')).toBe('spoke-a');
    expect(a.lists.get('entries')).toEqual(['a=true', 'b=false']);
    expect([...a.switches]).toEqual(['wait', 'json']);
    expect(a.positionals).toEqual(['x', '--not-a-flag']);
    expect(() => parseArgs(['--chain', 'a', '--chain', 'b'], flags, 0)).toThrow(/--chain given twice/);
    expect(() => parseArgs(['--wait=yes'], flags, 0)).toThrow(/--wait takes no value/);
  });
});

describe('rwa --help', () => {
  it('prints help for every command, with each of its flags and an example (exit 0)', async () => {
    for (const c of COMMANDS) {
      const r = await run([...c.path, '--help']);
      expect(r.code, c.path.join(' ')).toBe(0);
      expect(r.stdout).toContain(`usage: rwa ${c.path.join(' ')}`);
      for (const f of c.flags) expect(r.stdout, `${c.path.join(' ')} --${f.name}`).toContain(`--${f.name}`);
      expect(r.stdout).toMatch(/Example: .*rwa /);
      expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 refused/);
    }
    for (const g of Object.keys(GROUPS)) {
      const r = await run([g, '--help']);
      expect(r.code).toBe(0);
      for (const c of COMMANDS.filter((x) => x.path[0] === g)) expect(r.stdout).toContain(`rwa ${c.path.join(' ')}`);
    }
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const c of COMMANDS) expect(top.stdout).toContain(`rwa ${c.path.join(' ')}`);
  });

  it('has a post command for every kind the oracle takes over HTTP, with one flag per request field', async () => {
    expect(POST_KINDS.map((k) => k.kind).sort()).toEqual(ROUTED_SOURCES.map((s) => s.kind).sort());
    for (const s of ROUTED_SOURCES) {
      const command = COMMANDS.find((c) => c.path[0] === 'post' && POST_KINDS.find((k) => k.command === c.path[1])?.kind === s.kind);
      const fields = Object.keys((s.requestSchema as { properties: object }).properties).filter((f) => f !== 'signature');
      expect(command?.flags.map((f) => f.name)).toEqual([...fields, 'keystore']);
    }
  });
});

describe('rwa post: the request is checked against the kind schema before anything is signed', () => {
  const { path } = deploymentFile();
  const env = { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path, RWA_ORACLE_URL: 'http://127.0.0.1:1' };
  const settlement = ['--chainId', 'spoke-a', '--kind', 'subscription', '--investor', `0x${'90'.repeat(20)}`, '--amount', '1000', '--cashLegRef', `0x${'ee'.repeat(32)}`];

  it('names a missing field by its flag (exit 2)', async () => {
    const r = await run(['post', 'settlement', '--json', ...settlement], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --settlementRef/);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'usage', field: 'settlementRef' } });
    const nav = await run(['post', 'nav'], env);
    expect(nav.code).toBe(2);
    expect(nav.stderr).toMatch(/missing --nav/);
  });

  it('names a malformed field (exit 2): pattern, enum, integer, boolean, chain, allow-list entry', async () => {
    const cases: [string[], RegExp][] = [
      [['post', 'settlement', ...settlement.map((a) => (a === '1000' ? '1.5' : a)), '--settlementRef', 'S-1'], /--amount: must match pattern/],
      [['post', 'settlement', ...settlement, '--settlementRef', 'S-1', '--amount', '7'], /--amount given twice/],
      [['post', 'nav', '--nav', '1.5'], /--nav: must match pattern/],
      [['post', 'settlement', ...settlement.map((a) => (a === 'subscription' ? 'gift' : a)), '--settlementRef', 'S-1'], /--kind: must be equal to one of the allowed values/],
      [['post', 'nav', '--nav', '1', '--asOf', 'yesterday'], /--asOf: expected an integer, got yesterday/],
      [['post', 'pause', '--ref', 'P-1', '--paused', 'yes'], /--paused: expected true or false, got yes/],
      [['post', 'settlement', ...settlement.map((a) => (a === 'spoke-a' ? 'mars' : a)), '--settlementRef', 'S-1'], /--chainId: no chain mars/],
      [['post', 'allowlist', '--ref', 'A-1', '--entries', '0x12'], /--entries: expected account=true\|false/],
      [['post', 'allowlist', '--ref', 'A-1', '--entries', '0x12=true'], /--entries \(entries\.0\.account\): must match pattern/],
      [['post', 'nav', '--nav', '1', '--did', 'did:web:x'], /--did: must match pattern/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv, env);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(message);
    }
  });

  it('wants a key once the request is valid: none, or a malformed RWA_PRIVATE_KEY, is a usage error', async () => {
    const noKey = await run(['post', 'nav', '--nav', '100'], { RWA_DEPLOYMENT: path });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/no key: pass --keystore <file>/);
    const bad = await run(['post', 'nav', '--nav', '100'], { RWA_DEPLOYMENT: path, RWA_PRIVATE_KEY: '0x1234' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/RWA_PRIVATE_KEY: expected a 32-byte hex private key/);
  });

  it('says where the deployment file should come from when there is none (exit 2)', async () => {
    const r = await run(['nav'], { RWA_DEPLOYMENT: '/nonexistent/deployment.json' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read \/nonexistent\/deployment.json.*npm start/);
  });
});

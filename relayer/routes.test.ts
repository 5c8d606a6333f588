import { describe, expect, it } from 'vitest';
import { RouteError, routeResolver, transportsPerChain } from './routes.js';
import type { Deployment } from '../schemas/deployment.js';

const A = '0x' + '11'.repeat(20);
const base: Deployment = {
  hub: { chainId: 1, rpcUrl: 'http://hub', registry: A, ccip: { selector: '11', router: A, onRamp: A } },
  chains: [
    { name: 'hub', chainId: 1, rpcUrl: 'http://hub', receiver: A, confirmations: 0 },
    { name: 'a', chainId: 2, rpcUrl: 'http://a', receiver: A, confirmations: 0, transport: 'ccip', ccip: { selector: '22', offRamp: A, adapter: A, sender: A } },
    { name: 'b', chainId: 3, rpcUrl: 'http://b', receiver: A, confirmations: 0, ccip: { selector: '33', offRamp: A, adapter: A, sender: A } },
  ],
  governance: { signers: [A], threshold: 1 },
  dids: [],
};

describe('routeResolver', () => {
  it('uses each chain’s own transport when no route matches, cctp when it names none', () => {
    const r = routeResolver(base);
    expect(r('did:rwa:x', 'nav', 1, 1)).toBe('cctp');
    expect(r('did:rwa:x', 'nav', 2, 1)).toBe('ccip');
    expect(r('did:rwa:x', 'nav', 3, 1)).toBe('cctp');
  });

  it('does not serve a chain outside the deployment', () => {
    expect(routeResolver(base)('did:rwa:x', 'nav', 99, 1)).toBeUndefined();
  });

  it.each([
    // [did, kind, chain, expected]
    ['did:rwa:fund-x', 'nav', 3, 'ccip'],
    ['did:rwa:fund-x', 'settlement', 3, 'cctp'],
    ['did:rwa:fund-y', 'nav', 3, 'cctp'],
    ['did:rwa:fund-y', 'settlement', 2, 'cctp'],
    ['did:rwa:fund-x', 'settlement', 2, 'ccip'],
  ] as const)('%s %s to chain %i goes over %s', (did, kind, chainId, expected) => {
    const r = routeResolver({
      ...base,
      routes: [
        { did: 'did:rwa:fund-x', chainId: 3, kinds: ['nav'], transport: 'ccip' },
        { did: 'did:rwa:fund-y', chainId: 2, transport: 'cctp' },
      ],
    });
    expect(r(did, kind, chainId, 1)).toBe(expected);
  });

  it('lets the first matching route win', () => {
    const r = routeResolver({ ...base, routes: [{ chainId: 3, kinds: ['nav'], transport: 'ccip' }, { chainId: 3, transport: 'cctp' }] });
    expect(r('did:rwa:any', 'nav', 3, 1)).toBe('ccip');
    expect(r('did:rwa:any', 'pause', 3, 1)).toBe('cctp');
  });
});

describe('routes by origin (two-way messaging)', () => {
  const lanes = { ccipLanes: [{ from: 2, to: 1, selector: '11', onRamp: A, offRamp: A, adapter: A, sender: A }] };
  it('carries what starts on a spoke CCTP-style unless a route names CCIP from there', () => {
    const plain = routeResolver(base);
    // spoke-a's default is ccip (for what the hub fans out); its own requests to the hub are not hub -> spoke traffic.
    expect(plain('did:rwa:x', 'redemptionRequest', 1, 2)).toBe('cctp');
    const routed = routeResolver({ ...base, ...lanes, routes: [{ chainId: 1, from: 2, kinds: ['redemptionRequest'], transport: 'ccip' }] });
    expect(routed('did:rwa:x', 'redemptionRequest', 1, 2)).toBe('ccip');
    expect(routed('did:rwa:x', 'redemptionRequest', 1, 3)).toBe('cctp');
    expect(routed('did:rwa:x', 'nav', 1, 1)).toBe('cctp');
  });

  it('needs the lane from the route’s origin', () => {
    expect(() => transportsPerChain({ ...base, routes: [{ chainId: 1, from: 3, transport: 'ccip' }] })).toThrow(/routes\[0\]\.from: no CCIP lane from chain 3 to chain 1/);
    expect([...(transportsPerChain({ ...base, ...lanes, routes: [{ chainId: 1, from: 2, transport: 'ccip' }] }).get(1) ?? [])].sort()).toEqual(['ccip', 'cctp']);
  });
});

describe('transportsPerChain', () => {
  it('collects the default and every routed transport of each chain', () => {
    const m = transportsPerChain({ ...base, routes: [{ chainId: 3, kinds: ['nav'], transport: 'ccip' }, { chainId: 2, transport: 'cctp' }] });
    expect([...(m.get(1) ?? [])]).toEqual(['cctp']);
    expect([...(m.get(2) ?? [])].sort()).toEqual(['ccip', 'cctp']);
    expect([...(m.get(3) ?? [])].sort()).toEqual(['ccip', 'cctp']);
  });

  it('refuses a route to a chain without a CCIP lane, naming the chain', () => {
    expect(() => transportsPerChain({ ...base, routes: [{ chainId: 1, transport: 'ccip' }] })).toThrow(/chain 1 \(hub\).*no CCIP lane/);
  });

  it('refuses a route to an unknown chain or an unknown kind, naming the field', () => {
    expect(() => transportsPerChain({ ...base, routes: [{ chainId: 7, transport: 'cctp' }] })).toThrow(RouteError);
    expect(() => transportsPerChain({ ...base, routes: [{ chainId: 7, transport: 'cctp' }] })).toThrow(/routes\[0\]\.chainId/);
    expect(() => transportsPerChain({ ...base, routes: [{ chainId: 2, kinds: ['navv'], transport: 'cctp' }] })).toThrow(/routes\[0\]\.kinds: unknown kind "navv"/);
  });
});

describe('wormhole routes', () => {
  const B = '0x' + '22'.repeat(20);
  const withWormhole: Deployment = {
    ...base,
    chains: base.chains.map((c) => (c.chainId === 3 ? { ...c, transport: 'wormhole' as const, wormhole: { adapter: B, emitter: A, emitterChainId: 2 } } : c)),
  };

  it('delivers over wormhole to a chain whose default it is, from the hub only', () => {
    const r = routeResolver(withWormhole);
    expect(r('did:rwa:x', 'nav', 3, 1)).toBe('wormhole');
    expect(r('did:rwa:x', 'redemptionRequest', 3, 2)).toBe('cctp');
    // Every transport that reaches the chain is built (a transport quorum may use any): CCTP-style always, CCIP by the lane.
    expect([...(transportsPerChain(withWormhole).get(3) ?? [])].sort()).toEqual(['ccip', 'cctp', 'wormhole']);
  });

  it('needs the chain’s wormhole block, naming the chain', () => {
    expect(() => transportsPerChain({ ...base, routes: [{ chainId: 2, kinds: ['nav'], transport: 'wormhole' }] })).toThrow(/chain 2 \(a\) is reached over wormhole but has no chains\[\]\.wormhole block/);
  });

  it('refuses a wormhole route from a spoke and an emitter chain the SDK does not know', () => {
    expect(() => transportsPerChain({ ...withWormhole, routes: [{ chainId: 3, from: 2, transport: 'wormhole' }] })).toThrow(/routes\[0\]\.from: Wormhole carries only from the hub/);
    const unknown = { ...withWormhole, chains: withWormhole.chains.map((c) => (c.wormhole ? { ...c, wormhole: { ...c.wormhole, emitterChainId: 31337 } } : c)) };
    expect(() => transportsPerChain(unknown)).toThrow(/31337 is not a Wormhole chain id/);
  });
});

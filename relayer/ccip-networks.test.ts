import { describe, expect, it } from 'vitest';
import { ccipDeploymentProblems, ccipNetworkOf } from './ccip-networks.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDeployment, type Deployment } from '../schemas/deployment.js';

const A = '0x' + '11'.repeat(20);
const SEPOLIA_ROUTER = '0x0BF3dE8c5D3e8A2B34D2BEeB17ABfCeBaf363A59';
const live = (over: { selector?: string; router?: string; hubSelector?: string } = {}): Pick<Deployment, 'hub' | 'chains'> => ({
  hub: { chainId: 11155111, rpcUrl: 'https://sepolia', registry: A, ccip: { selector: over.hubSelector ?? '16015286601757825753', router: over.router ?? SEPOLIA_ROUTER } },
  chains: [
    { name: 'sepolia', chainId: 11155111, rpcUrl: 'https://sepolia', receiver: A, confirmations: 3 },
    { name: 'fuji', chainId: 43113, rpcUrl: 'https://fuji', receiver: A, confirmations: 1, transport: 'ccip', ccip: { mode: 'live', selector: over.selector ?? '14767482510784806043', adapter: A, sender: A } },
  ],
});

describe('CCIP deployment checks', () => {
  it('knows Sepolia and Fuji', () => {
    expect(ccipNetworkOf(43113)?.selector).toBe(14767482510784806043n);
    expect(ccipNetworkOf(11155111)?.router).toBe(SEPOLIA_ROUTER);
    expect(ccipNetworkOf(31337)).toBeUndefined();
  });

  it('accepts a live Sepolia -> Fuji lane without ramps (Chainlink executes)', () => {
    expect(ccipDeploymentProblems(live())).toEqual([]);
  });

  it('names a wrong destination selector, hub router or hub selector', () => {
    expect(ccipDeploymentProblems(live({ selector: '1' }))).toEqual([expect.stringMatching(/^chains\[1\]\.ccip\.selector: 1 is not the CCIP selector of avalanche-testnet-fuji/)]);
    expect(ccipDeploymentProblems(live({ router: A }))).toEqual([expect.stringMatching(/^hub\.ccip\.router: .* is not the CCIP Router of ethereum-testnet-sepolia/)]);
    expect(ccipDeploymentProblems(live({ hubSelector: '5' }))).toEqual([expect.stringMatching(/^hub\.ccip\.selector/)]);
  });

  it('needs both ramps on a local lane', () => {
    const d = live();
    const local = { ...d, chains: d.chains.map((c) => (c.ccip ? { ...c, ccip: { ...c.ccip, mode: 'local' as const } } : c)) };
    expect(ccipDeploymentProblems(local)).toEqual([expect.stringMatching(/^chains\[1\]\.ccip\.offRamp/), expect.stringMatching(/^hub\.ccip\.onRamp/)]);
  });

  it('needs the hub as CCIP source when any chain has a lane', () => {
    const d = live();
    expect(ccipDeploymentProblems({ ...d, hub: { chainId: d.hub.chainId, rpcUrl: d.hub.rpcUrl, registry: A } })).toEqual([expect.stringMatching(/^hub\.ccip:/)]);
  });
});

describe('docs/deployment.testnet.example.json', () => {
  it('parses, and its live Sepolia -> Fuji lane passes the checks', () => {
    const parsed = parseDeployment(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'deployment.testnet.example.json'), 'utf8')));
    if (!parsed.ok) throw new Error(`${parsed.issue.field} ${parsed.issue.message}`);
    expect(ccipDeploymentProblems(parsed.value)).toEqual([]);
    expect(parsed.value.chains.find((c) => c.chainId === 43113)?.ccip?.mode).toBe('live');
  });
});

describe('ccipLanes (spoke -> hub and other directions)', () => {
  const A2 = '0x' + '22'.repeat(20);
  it('accepts a local spoke -> hub lane with both ramps, names what a bad one lacks', () => {
    const d = live();
    const lane = { from: 43113, to: 11155111, selector: '16015286601757825753', adapter: A2, sender: A2 };
    expect(ccipDeploymentProblems({ ...d, ccipLanes: [{ ...lane, onRamp: A2, offRamp: A2 }] })).toEqual([]);
    expect(ccipDeploymentProblems({ ...d, ccipLanes: [lane] })).toEqual([expect.stringMatching(/^ccipLanes\[0\]\.onRamp/), expect.stringMatching(/^ccipLanes\[0\]\.offRamp/)]);
    expect(ccipDeploymentProblems({ ...d, ccipLanes: [{ ...lane, from: 5, mode: 'live' }] })).toEqual([expect.stringMatching(/^ccipLanes\[0\]\.from: chain 5/)]);
    expect(ccipDeploymentProblems({ ...d, ccipLanes: [{ ...lane, mode: 'live', selector: '7' }] })).toEqual([expect.stringMatching(/^ccipLanes\[0\]\.selector: 7 is not the CCIP selector of ethereum-testnet-sepolia/)]);
  });
});

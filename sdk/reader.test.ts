import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createWalletClient, http, keccak256, stringToBytes, type Address, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_DEPLOYER_KEY, DEV_COMMITTEE_KEYS, devReceiverArgs } from '../schemas/dev-keys.js';
import type { Deployment } from '../schemas/deployment.js';
import { artifact, forgeBuild } from '../devnet/artifacts.js';
import { freePort, startAnvil, type AnvilChain } from '../devnet/anvil.js';
import { createRwaReader } from './reader.js';
import { ChainMismatchError, ChainUnreachableError, DidNotConfiguredError, InvalidDeploymentError, InvalidInputError, UnknownChainError, UnknownDidError } from './errors.js';

/**
 * The reader's errors against a real anvil with a real RwaReceiver on which the DID is not configured yet, and a
 * second chain of the deployment whose node is down.
 */
const DID = 'did:rwa:test:sdk';
const INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
let chain: AnvilChain;
let deployment: Deployment;
let client: PublicClient;
const DOWN_CHAIN = 31_999;
let downUrl: string;

beforeAll(async () => {
  forgeBuild();
  chain = await startAnvil('sdk-unit', 31_337);
  const account = privateKeyToAccount(ANVIL_DEPLOYER_KEY);
  const wallet = createWalletClient({ account, transport: http(chain.rpcUrl) });
  client = createPublicClient({ transport: http(chain.rpcUrl) });
  const governance = DEV_COMMITTEE_KEYS.map((k) => privateKeyToAccount(k).address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const { abi, bytecode } = artifact('RwaReceiver');
  const hash = await wallet.deployContract({ abi, bytecode, args: devReceiverArgs(governance, 1), chain: null });
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (!receipt.contractAddress) throw new Error('RwaReceiver not deployed');
  downUrl = `http://127.0.0.1:${await freePort()}`;
  deployment = {
    hub: { chainId: 31_337, rpcUrl: chain.rpcUrl, registry: receipt.contractAddress },
    chains: [
      { name: 'up', chainId: 31_337, rpcUrl: chain.rpcUrl, receiver: receipt.contractAddress, confirmations: 0 },
      { name: 'down', chainId: DOWN_CHAIN, rpcUrl: downUrl, receiver: receipt.contractAddress, confirmations: 0 },
    ],
    governance: { signers: governance, threshold: 1 },
    dids: [{ did: DID, didHash: keccak256(stringToBytes(DID)) }],
  };
}, 240_000);

afterAll(async () => {
  await chain?.stop();
});

const upOnly = () => createRwaReader({ chains: [{ chainId: 31_337, client }], deployment });
const both = () => createRwaReader({ chains: [{ chainId: 31_337, client }, { chainId: DOWN_CHAIN, client: createPublicClient({ transport: http(downUrl, { retryCount: 0 }) }) }], deployment });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('createRwaReader', () => {
  it('refuses a deployment that does not parse, and a client for a chain the deployment lacks', () => {
    expect(() => createRwaReader({ chains: [{ chainId: 31_337, client }], deployment: { ...deployment, chains: [] } })).toThrow(InvalidDeploymentError);
    expect(() => createRwaReader({ chains: [{ chainId: 5, client }], deployment })).toThrow(UnknownChainError);
  });

  it('names the unknown DID and the chain it has no client for', async () => {
    const reader = upOnly();
    const unknownDid = await rejection(reader.nav('did:rwa:test:other', 31_337));
    expect(unknownDid).toBeInstanceOf(UnknownDidError);
    expect(unknownDid).toMatchObject({ code: 'unknown_did', did: 'did:rwa:test:other', retryable: false });
    await expect(reader.nav(DID, DOWN_CHAIN)).rejects.toMatchObject({ code: 'unknown_chain', chainId: DOWN_CHAIN });
    await expect(reader.holdings(DID, '0x1234' as Address)).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('takes the DID by its hash as well, and reads a chain where its config has not arrived', async () => {
    const reader = upOnly();
    const err = await rejection(reader.nav(keccak256(stringToBytes(DID)), 31_337));
    expect(err).toBeInstanceOf(DidNotConfiguredError);
    expect(err).toMatchObject({ chainId: 31_337, did: DID, retryable: true });
    await expect(reader.redemptionStage(DID, 31_337)).rejects.toBeInstanceOf(DidNotConfiguredError);
    expect(await reader.holdings(DID, INVESTOR)).toMatchObject([{ chainId: 31_337, configured: false, balance: 0n }]);
    expect((await reader.supply(DID)).totalSupply).toBe(0n);
    const c = await reader.consistency(DID);
    expect(c).toMatchObject({ consistent: true, differences: [], unreachable: [] });
    expect(c.chains[0]?.configured).toBe(false);
  });

  it('reports an unreachable chain with its id: thrown by reads of it, listed by consistency', async () => {
    const reader = both();
    const err = await rejection(reader.holdings(DID, INVESTOR));
    expect(err).toBeInstanceOf(ChainUnreachableError);
    expect(err).toMatchObject({ code: 'chain_unreachable', chainId: DOWN_CHAIN, retryable: true });
    const c = await reader.consistency(DID);
    expect(c.consistent).toBe(false);
    expect(c.chains.map((x) => x.chainId)).toEqual([31_337]);
    // Given in the other order, the chains still come in the deployment's.
    const swapped = createRwaReader({ chains: [{ chainId: DOWN_CHAIN, client }, { chainId: 31_337, client }], deployment });
    expect(swapped.chainIds).toEqual([31_337, DOWN_CHAIN]);
    expect(c.unreachable.map((e) => e.chainId)).toEqual([DOWN_CHAIN]);
  });

  it('refuses a client connected to another chain than the one it is given for', async () => {
    const mixed = createRwaReader({ chains: [{ chainId: DOWN_CHAIN, client }], deployment });
    const err = await rejection(mixed.supply(DID));
    expect(err).toBeInstanceOf(ChainMismatchError);
    expect(err).toMatchObject({ chainId: DOWN_CHAIN, actual: 31_337 });
  });
});

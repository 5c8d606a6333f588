import { BaseError, ContractFunctionRevertedError, createPublicClient, defineChain, http, type PublicClient } from 'viem';
import type { DeployedChain } from '../schemas/deployment.js';
import { RefusedError, UnreachableError } from './errors.js';

/** A read client of one deployed chain (viem), named after the chain for its error messages. */
export function publicClientOf(c: Pick<DeployedChain, 'chainId' | 'name' | 'rpcUrl'>): PublicClient {
  const chain = defineChain({ id: c.chainId, name: c.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [c.rpcUrl] } } });
  return createPublicClient({ chain, transport: http(c.rpcUrl, { retryCount: 1 }), pollingInterval: 250 });
}

/** The custom error a contract call reverted with (`RequestAlreadyAccepted`), or undefined for another failure. */
export function revertOf(err: unknown): { name: string; args: readonly unknown[] } | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(revert instanceof ContractFunctionRevertedError)) return undefined;
  const name = revert.data?.errorName ?? revert.reason ?? 'reverted';
  return { name, args: revert.data?.args ?? [] };
}

const show = (v: unknown) => (typeof v === 'bigint' ? v.toString() : String(v));

/**
 * A failed chain call as the CLI's error: a custom error is a refusal naming it (exit 1), anything else (the RPC
 * down, a timeout) is unreachable (exit 3).
 */
export function chainError(err: unknown, what: string, chain: Pick<DeployedChain, 'name' | 'rpcUrl'>): RefusedError | UnreachableError {
  const revert = revertOf(err);
  if (revert) return new RefusedError(`${what} reverted on ${chain.name}: ${revert.name}(${revert.args.map(show).join(', ')})`, revert.name);
  const message = err instanceof BaseError ? err.shortMessage : err instanceof Error ? err.message : String(err);
  return new UnreachableError(`${what} on ${chain.name}: ${message}`, chain.name, err);
}

/** Runs chain reads, turning a failure into the CLI's error. */
export async function onChain<T>(chain: Pick<DeployedChain, 'name' | 'rpcUrl'>, what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw chainError(err, what, chain);
  }
}


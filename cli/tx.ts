import { createWalletClient, http, type Abi, type Address, type Hex, type TransactionReceipt } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { DeployedChain } from '../schemas/deployment.js';
import { chainError, publicClientOf } from './chain.js';
import { RefusedError } from './errors.js';

export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

export interface Sent {
  hash: Hex;
  receipt: TransactionReceipt;
  /** What the call returned in the simulation just before it was sent. */
  result: unknown;
}

/**
 * Sends one contract call as `account` on `chain`: simulated first, so a custom error refuses it before any gas is
 * spent (exit 1, the error's name), then sent and awaited. An RPC that cannot be reached is exit 3.
 */
export async function sendCall(chain: DeployedChain, account: PrivateKeyAccount, call: ContractCall, what: string): Promise<Sent> {
  const pub = publicClientOf(chain);
  const wallet = createWalletClient({ chain: pub.chain, transport: http(chain.rpcUrl), account });
  try {
    const { request, result } = await pub.simulateContract({ ...call, account } as never);
    const hash = await wallet.writeContract(request as never);
    const receipt = await pub.waitForTransactionReceipt({ hash, timeout: 120_000 });
    if (receipt.status !== 'success') throw new RefusedError(`${what} reverted on ${chain.name} (tx ${hash})`, 'reverted');
    return { hash, receipt, result };
  } catch (err) {
    if (err instanceof RefusedError) throw err;
    throw chainError(err, what, chain);
  }
}

import { decodeErrorResult, type Hex } from 'viem';
import {
  rwaCcipReceiverAbi,
  rwaDidRegistryAbi,
  rwaHoldingsAbi,
  rwaNavFeedAbi,
  rwaReceiverAbi,
  rwaRedemptionsAbi,
  rwaTransportQuorumAbi,
  rwaWormholeReceiverAbi,
} from '../schemas/abi.js';

/** The custom error names an ABI (generated, `as const`) declares. */
export type ErrorNames<A extends readonly unknown[]> = Extract<A[number], { readonly type: 'error'; readonly name: string }>['name'];

/**
 * The contracts a delivery reaches on a destination chain: the receivers, and what they call on apply. A delivery's
 * revert can only carry one of their errors, so a classification table naming anything else fails `tsc`.
 */
export const DESTINATION_ABIS = {
  rwaReceiver: rwaReceiverAbi,
  rwaCcipReceiver: rwaCcipReceiverAbi,
  rwaWormholeReceiver: rwaWormholeReceiverAbi,
  rwaTransportQuorum: rwaTransportQuorumAbi,
  rwaHoldings: rwaHoldingsAbi,
  rwaRedemptions: rwaRedemptionsAbi,
  rwaNavFeed: rwaNavFeedAbi,
  rwaDidRegistry: rwaDidRegistryAbi,
} as const;

type Abis = typeof DESTINATION_ABIS;

/** Every custom error a destination contract can revert with (from schemas/abi.ts, generated from the artifacts). */
export type RevertName = { [K in keyof Abis]: ErrorNames<Abis[K]> }[keyof Abis];

/** The same set at run time, for the test that every table entry exists in the generated ABIs. */
export const revertNames = (): ReadonlySet<string> =>
  new Set(Object.values(DESTINATION_ABIS).flatMap((abi) => (abi as readonly { type: string; name?: string }[]).filter((e) => e.type === 'error').map((e) => e.name ?? '')));

/** Every custom error of the destination contracts, as one ABI to decode revert data with. */
const DESTINATION_ERRORS = Object.values(DESTINATION_ABIS).flatMap((abi) => (abi as readonly { type: string }[]).filter((e) => e.type === 'error'));

/** The name of the destination contracts' custom error `data` encodes, or undefined when none of them declares it. */
export function receiverRevertName(data: Hex): string | undefined {
  try {
    return decodeErrorResult({ abi: DESTINATION_ERRORS as never, data }).errorName;
  } catch {
    // Not a custom error of ours (a panic, an empty revert, data cut short): a typed "none".
    return undefined;
  }
}

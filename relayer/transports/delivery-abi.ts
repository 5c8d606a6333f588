import { rwaHoldingsAbi, rwaNavFeedAbi, rwaReceiverAbi, rwaRedemptionsAbi, rwaTransportQuorumAbi } from '../../schemas/abi.js';

/**
 * Every custom error a delivery can revert with: the receiver's own and those that bubble up from what it calls
 * (holdings: NotAllowListed, SupplyCapExceeded...; NAV feed; redemptions module: RedemptionsHalted...). A revert
 * decoded with the receiver's ABI alone has no name, and the relayer would dead-letter what a retry fixes.
 */
const errorsOf = <T extends readonly { type: string }[]>(abi: T) => abi.filter((item): item is Extract<T[number], { type: 'error' }> => item.type === 'error');

export const deliveryErrors = [...errorsOf(rwaReceiverAbi), ...errorsOf(rwaHoldingsAbi), ...errorsOf(rwaNavFeedAbi), ...errorsOf(rwaRedemptionsAbi), ...errorsOf(rwaTransportQuorumAbi)];

/** RwaReceiver's ABI with every error a delivery can bubble up. */
export const receiverDeliveryAbi = [...rwaReceiverAbi, ...deliveryErrors] as const;

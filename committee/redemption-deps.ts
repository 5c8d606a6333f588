import type { RedemptionChainsPort, RedemptionPolicyPort } from '../core/chain/redemption-types.js';
import type { DidHash } from '../schemas/ids.js';
import type { DisclosureKindName } from '../schemas/message.js';

/** What a signer's redemption checks read: the chains' modules, the hub's policy, and its own store. */
export interface RedemptionCheckDeps {
  chains: RedemptionChainsPort;
  policies: RedemptionPolicyPort;
  hubChainId: number;
  /** How much older than the request a pinned block may be (seconds): old pins would understate the pool. */
  maxPinLagSeconds: number;
  /** Fulfilments this signer signed for one request: their nonces and amounts (its own store). */
  signedFulfilments: (did: DidHash, chainId: number, requestId: bigint) => { nonce: bigint; amount: bigint }[];
  /** The latest as-of of a disclosure kind this signer signed for a DID (its own store). */
  signedDisclosureAsOf: (did: DidHash, docKind: DisclosureKindName) => bigint | undefined;
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaHoldings} from "./RwaHoldings.sol";
import {RwaNavFeed} from "./RwaNavFeed.sol";

/// @notice Deploys a DID's token and NAV feed on a chain when the receiver first applies its config. It exists so
/// that the creation code of both lives here and not in RwaReceiver's runtime, which is near the 24,576-byte limit.
/// Only the receiver that created it may call it; the contracts it deploys answer to that receiver.
contract RwaAssetFactory {
  error OnlyReceiver(address caller);

  address public immutable i_receiver;

  constructor() {
    i_receiver = msg.sender;
  }

  /// @return holdings the DID's ERC-20 on this chain, minted and burned only by the receiver (and, for locked
  /// redemptions, the redemptions module).
  /// @return feed the DID's AggregatorV3Interface NAV feed on this chain, updated only by the receiver.
  function deploy(
    bytes32 did,
    string calldata name,
    string calldata symbol,
    uint8 tokenDecimals,
    uint8 navDecimals,
    uint32 heartbeat,
    uint16 maxNavMoveBps,
    address redemptions
  ) external returns (RwaHoldings holdings, RwaNavFeed feed) {
    if (msg.sender != i_receiver) revert OnlyReceiver(msg.sender);
    holdings = new RwaHoldings(did, name, symbol, tokenDecimals, msg.sender, redemptions);
    feed = new RwaNavFeed(did, string.concat(symbol, " / NAV"), navDecimals, heartbeat, maxNavMoveBps, msg.sender);
  }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";
import {ExpiryHandler} from "./handlers/ExpiryHandler.sol";

/// @notice Invariants 28 and 29 of contracts/INVARIANTS.md: an expired signer set verifies nothing (single messages,
/// items of a root verified before or after the end, its own configs), and only a config verified by governance
/// revives it. The DID's set starts with an end 15 days after setUp; time moves up to 20 days a step.
contract ExpiryInvariants is AttestationFixture {
  uint256 internal constant SUBS = 12;
  uint256 internal constant CONFIGS = 12;

  ExpiryHandler internal handler;

  function setUp() public override {
    super.setUp();
    ConfigAtt memory c = configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD);
    c.signersValidUntil = uint64(T0 + 15 days);
    deliverAdmin(encodeConfig(c));
    handler = new ExpiryHandler(receiver, DID);

    bytes[] memory subs = new bytes[](SUBS);
    bytes[] memory sigs = new bytes[](SUBS);
    for (uint256 i; i < SUBS; ++i) {
      SettlementAtt memory a = subscriptionAtt(alice, 1, uint64(1 + i));
      (subs[i], sigs[i]) = (encodeSettlement(a), quorumSigs(a));
    }
    handler.loadSubscriptions(subs, sigs);

    bytes[] memory items = new bytes[](SUBS);
    for (uint256 i; i < SUBS; ++i) {
      items[i] = encodeSettlement(subscriptionAtt(bob, 1, uint64(1000 + i)));
    }
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(items);
    handler.loadBatch(root, batchQuorumSigs(root), items, proofs);

    // Configs with increasing nonces and ends 30 days apart: each signed by the DID's set and by governance.
    bytes[] memory configs = new bytes[](CONFIGS);
    bytes[] memory didSigs = new bytes[](CONFIGS);
    bytes[] memory govSigs = new bytes[](CONFIGS);
    for (uint256 k; k < CONFIGS; ++k) {
      c = configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD);
      c.signersValidUntil = uint64(T0 + (k + 1) * 30 days);
      configs[k] = encodeConfig(c);
      didSigs[k] = adminQuorumSigs(configs[k]);
      govSigs[k] = governanceSigs(receiver, configs[k]);
    }
    handler.loadConfigs(configs, didSigs, govSigs);

    bytes4[] memory selectors = new bytes4[](4);
    selectors[0] = ExpiryHandler.warp.selector;
    selectors[1] = ExpiryHandler.sendOne.selector;
    selectors[2] = ExpiryHandler.sendBatchItem.selector;
    selectors[3] = ExpiryHandler.sendConfig.selector;
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @notice (28) Nothing applied while the DID's set was past its end: no settlement, no batch item (whether its root
  /// was verified before the end or not), no config the set signed itself.
  function invariant_expiredSetVerifiesNothing() public view {
    assertEq(handler.ghost_appliedWhileExpired(), 0, "an expired set verified something");
  }

  /// @notice (29) The end changes only by an applied config, and an expired set becomes live again only by a config
  /// verified by governance.
  function invariant_onlyAGovernanceConfigRevives() public view {
    assertEq(handler.ghost_endChangedOtherwise(), 0, "the end changed without a config");
    assertEq(handler.ghost_revivedOtherwise(), 0, "revived without a governance config");
  }
}

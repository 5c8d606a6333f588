// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RedemptionPolicy} from "../src/libraries/RedemptionPolicy.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice Issue 17, item 3: every state-setting kind delivered in reverse. The feed is public and delivery is
/// permissionless, so anyone can deliver two pending messages of one kind newest first; the older one must then be
/// consumed as superseded (event, nonce used, no revert) and leave the newer decision in force.
contract RwaReceiverAdminOrderTest is RedemptionFixture {
  uint8 internal constant KIND_QUORUM = 12;

  address internal mallory = makeAddr("mallory");

  function _deliver(bytes memory message, bytes memory sigs) internal {
    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
  }

  function _expectSuperseded(uint64 nonce, uint8 kind, uint64 newest) internal {
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.AdminSuperseded(DID, nonce, kind, newest);
  }

  function test_pause_OlderResumeAfterNewerPauseLeavesThePause() public {
    uint64 resumeNonce = nextAdminNonce(receiver, DID);
    bytes memory resume = encodePause(PauseAtt({did: DID, nonce: resumeNonce, paused: false}));
    bytes memory pause = encodePause(PauseAtt({did: DID, nonce: nextAdminNonce(receiver, DID), paused: true}));
    (bytes memory resumeSigs, bytes memory pauseSigs) = (adminQuorumSigs(resume), adminQuorumSigs(pause));
    _deliver(pause, pauseSigs);
    assertTrue(holdings.paused());

    _expectSuperseded(resumeNonce, KIND_PAUSE, resumeNonce + 1);
    _deliver(resume, resumeSigs);
    assertTrue(holdings.paused(), "an older resume overrode a newer pause");
    assertTrue(receiver.isNonceUsed(DID, resumeNonce), "a superseded message is consumed");
    (bool any, uint64 newest) = receiver.newestAdminNonce(DID, KIND_PAUSE);
    assertTrue(any);
    assertEq(newest, resumeNonce + 1);
  }

  function test_pause_InOrderStillApplies() public {
    setPaused(true);
    setPaused(false);
    assertFalse(holdings.paused());
  }

  function _allowListMessage(address[] memory accounts, bool[] memory allowed) internal returns (bytes memory) {
    AllowListAtt memory a;
    a.did = DID;
    a.nonce = nextAdminNonce(receiver, DID);
    a.entries = new AllowEntry[](accounts.length);
    for (uint256 i; i < accounts.length; ++i) {
      a.entries[i] = AllowEntry({account: accounts[i], allowed: allowed[i]});
    }
    return encodeAllowList(a);
  }

  function _one(address account, bool allowed) internal returns (bytes memory) {
    address[] memory accounts = new address[](1);
    bool[] memory flags = new bool[](1);
    (accounts[0], flags[0]) = (account, allowed);
    return _allowListMessage(accounts, flags);
  }

  function test_allowList_OlderAllowAfterNewerRemoveLeavesTheAccountOut() public {
    bytes memory allowX = _one(mallory, true);
    bytes memory removeX = _one(mallory, false);
    (bytes memory allowSigs, bytes memory removeSigs) = (adminQuorumSigs(allowX), adminQuorumSigs(removeX));
    _deliver(removeX, removeSigs);
    _deliver(allowX, allowSigs);
    assertFalse(holdings.isAllowed(mallory), "an older allow overrode a newer removal");
  }

  /// @dev Order is per account: an older message still sets the accounts that no newer message touched.
  function test_allowList_OlderMessageStillAppliesToAccountsNotTouchedSince() public {
    address dave = makeAddr("dave");
    address[] memory accounts = new address[](2);
    bool[] memory flags = new bool[](2);
    (accounts[0], accounts[1], flags[0], flags[1]) = (mallory, dave, true, true);
    bytes memory older = _allowListMessage(accounts, flags);
    bytes memory newer = _one(mallory, false);
    (bytes memory olderSigs, bytes memory newerSigs) = (adminQuorumSigs(older), adminQuorumSigs(newer));
    uint64 olderNonce = ADMIN_NONCE_BASE + 3; // setUp used 0..2: introduce, allow-list, reserve
    _deliver(newer, newerSigs);

    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.AllowListEntrySuperseded(DID, olderNonce, mallory, olderNonce + 1);
    _deliver(older, olderSigs);
    assertFalse(holdings.isAllowed(mallory));
    assertTrue(holdings.isAllowed(dave));
  }

  function test_config_OlderParamsAfterNewerLeaveTheNewer() public {
    ConfigAtt memory older = configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD);
    older.heartbeat = 2 days;
    ConfigAtt memory newer = configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD);
    newer.heartbeat = 3 days;
    (bytes memory o, bytes memory n) = (encodeConfig(older), encodeConfig(newer));
    (bytes memory oSigs, bytes memory nSigs) = (adminQuorumSigs(o), adminQuorumSigs(n));
    _deliver(n, nSigs); // re-installs the same set under a new epoch: the older one's signatures still verify
    _expectSuperseded(older.nonce, KIND_CONFIG, newer.nonce);
    _deliver(o, oSigs);
    assertEq(navFeed.s_heartbeat(), 3 days, "an older config overrode a newer one");
  }

  function test_policy_OlderPolicyAfterNewerLeavesTheNewer() public {
    bytes memory older = encodePolicy(policyAtt(100, 300, 7, 7 days, true));
    PolicyAtt memory n = policyAtt(50, 200, 4, 2 days, false);
    bytes memory newer = encodePolicy(n);
    (bytes memory oSigs, bytes memory nSigs) = (adminQuorumSigs(older), adminQuorumSigs(newer));
    _deliver(newer, nSigs);
    _expectSuperseded(n.nonce - 1, KIND_REDEMPTION_POLICY, n.nonce);
    _deliver(older, oSigs);
    RedemptionPolicy.Policy memory p = redemptions.policyOf(DID);
    assertFalse(p.emergency, "an older emergency policy overrode a newer one");
    assertEq(p.stageBBps, 50);
    assertEq(p.instalments, 4);
  }

  function test_transportQuorum_OlderRuleAfterNewerLeavesTheNewer() public {
    address ccipAdapter = makeAddr("ccip-adapter");
    receiver.transportQuorum().setAdapter(ccipAdapter, 2);
    uint64 olderNonce = nextAdminNonce(receiver, DID);
    bytes memory older = abi.encodePacked(uint8(1), KIND_QUORUM, DID, olderNonce, uint64(block.chainid), uint8(0), uint8(0));
    uint64 newerNonce = nextAdminNonce(receiver, DID);
    bytes memory newer =
      abi.encodePacked(uint8(1), KIND_QUORUM, DID, newerNonce, uint64(block.chainid), uint8(1), uint8(3));
    (bytes memory oSigs, bytes memory nSigs) = (adminQuorumSigs(older), adminQuorumSigs(newer));
    _deliver(newer, nSigs);
    _expectSuperseded(olderNonce, KIND_QUORUM, newerNonce);
    _deliver(older, oSigs); // 1 of {cctp, ccip}: the direct arrival meets the rule in force and reaches apply
    (uint8 k, uint8 transports) = receiver.transportQuorumOf(DID);
    assertEq(k, 1, "an older rule overrode a newer one");
    assertEq(transports, 3);
  }

  /// @dev Any two messages of one kind, in either order: the state is the newest one's.
  function testFuzz_pause_NewestWinsInEitherOrder(bool firstPaused, bool secondPaused, bool reverse) public {
    bytes memory first = encodePause(PauseAtt({did: DID, nonce: nextAdminNonce(receiver, DID), paused: firstPaused}));
    bytes memory second = encodePause(PauseAtt({did: DID, nonce: nextAdminNonce(receiver, DID), paused: secondPaused}));
    (bytes memory s1, bytes memory s2) = (adminQuorumSigs(first), adminQuorumSigs(second));
    if (reverse) {
      _deliver(second, s2);
      _deliver(first, s1);
    } else {
      _deliver(first, s1);
      _deliver(second, s2);
    }
    assertEq(holdings.paused(), secondPaused);
  }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../src/RwaHoldings.sol";
import {RwaNavFeed} from "../../src/RwaNavFeed.sol";
import {AttestationSigner} from "./AttestationSigner.sol";

/// @notice Shared base for receiver tests: one receiver owned by `owner`, one DID configured with a 2-of-3 committee,
/// message builders with sensible defaults and delivery helpers that sign for this chain and this receiver.
abstract contract AttestationFixture is Test, AttestationSigner {
  string internal constant DID_STRING = "did:rwa:acme:ust-bill-2026";
  bytes32 internal constant DID = keccak256(bytes(DID_STRING));

  string internal constant TOKEN_NAME = "Acme UST Bill 2026";
  string internal constant TOKEN_SYMBOL = "aUSTB";
  uint8 internal constant TOKEN_DECIMALS = 6;
  uint8 internal constant NAV_DECIMALS = 8;
  uint32 internal constant HEARTBEAT = 1 days;
  uint16 internal constant MAX_MOVE_BPS = 500; // 5 %

  uint256 internal constant COMMITTEE_SIZE = 3;
  uint8 internal constant THRESHOLD = 2;

  /// @dev Block time at setUp; NAV as-of times are struck a little before it.
  uint256 internal constant T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
  uint256 internal constant NAV_1 = 100_00000000; // 100.00000000 per unit

  address internal owner = makeAddr("owner");
  address internal relayer = makeAddr("relayer");
  address internal alice = makeAddr("alice");
  address internal bob = makeAddr("bob");
  address internal stranger = makeAddr("stranger");

  RwaReceiver internal receiver;
  RwaHoldings internal holdings;
  RwaNavFeed internal navFeed;

  /// @dev Committee private keys, sorted by ascending address; `committee[i] == vm.addr(committeeKeys[i])`.
  uint256[] internal committeeKeys;
  address[] internal committee;

  /// @dev Keys that are not in any committee.
  uint256[] internal outsiderKeys;

  function setUp() public virtual {
    vm.warp(T0);
    receiver = new RwaReceiver(owner);
    committeeKeys = deriveKeys(COMMITTEE_SIZE, 1);
    committee = addressesOf(committeeKeys);
    outsiderKeys = deriveKeys(3, 666);
    (holdings, navFeed) = configure(receiver, DID, committeeKeys, THRESHOLD);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Configuration helpers
  // ---------------------------------------------------------------------------------------------------------------

  function didParams(address[] memory signers, uint8 threshold) internal pure returns (RwaReceiver.DidParams memory) {
    return RwaReceiver.DidParams({
      name: TOKEN_NAME,
      symbol: TOKEN_SYMBOL,
      tokenDecimals: TOKEN_DECIMALS,
      navDecimals: NAV_DECIMALS,
      heartbeat: HEARTBEAT,
      maxNavMoveBps: MAX_MOVE_BPS,
      threshold: threshold,
      signers: signers
    });
  }

  /// @dev configureDid on `r` (as its owner) with the addresses of `keys` and `threshold`.
  function configure(RwaReceiver r, bytes32 did, uint256[] memory keys, uint8 threshold)
    internal
    returns (RwaHoldings h, RwaNavFeed f)
  {
    vm.prank(r.owner());
    r.configureDid(did, didParams(addressesOf(keys), threshold));
    RwaReceiver.DidState memory st = r.didState(did);
    h = st.holdings;
    f = st.navFeed;
  }

  /// @dev A fresh DID on the main receiver with an n-member committee derived from `salt`.
  function configureCommittee(bytes32 did, uint256 n, uint8 threshold, uint256 salt)
    internal
    returns (uint256[] memory keys, RwaHoldings h, RwaNavFeed f)
  {
    keys = deriveKeys(n, salt);
    (h, f) = configure(receiver, did, keys, threshold);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Attestation builders
  // ---------------------------------------------------------------------------------------------------------------

  function settlementAtt(uint8 kind, address investor, uint256 amount, uint64 nonce)
    internal
    pure
    returns (SettlementAtt memory)
  {
    return SettlementAtt({
      did: DID,
      nonce: nonce,
      settlementKind: kind,
      settlementRef: keccak256(abi.encode("custodian-ref", nonce)),
      investor: investor,
      amount: amount,
      cashLegRef: keccak256(abi.encode("swift-mt103", nonce)),
      settledAt: uint64(T0 - 1 hours)
    });
  }

  function subscriptionAtt(address investor, uint256 amount, uint64 nonce) internal pure returns (SettlementAtt memory) {
    return settlementAtt(SUBSCRIPTION, investor, amount, nonce);
  }

  function redemptionAtt(address investor, uint256 amount, uint64 nonce) internal pure returns (SettlementAtt memory) {
    return settlementAtt(REDEMPTION, investor, amount, nonce);
  }

  function navAtt(uint256 nav, uint64 asOf, uint64 nonce) internal pure returns (NavAtt memory) {
    return NavAtt({did: DID, nonce: nonce, nav: nav, asOf: asOf});
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Signing for the main receiver on the current chain
  // ---------------------------------------------------------------------------------------------------------------

  function digestOf(SettlementAtt memory a) internal view returns (bytes32) {
    return settlementDigest(a, block.chainid, address(receiver));
  }

  function digestOf(NavAtt memory a) internal view returns (bytes32) {
    return navDigest(a, block.chainid, address(receiver));
  }

  /// @dev Quorum signatures (first THRESHOLD committee keys, ascending) over `a` for the main receiver.
  function quorumSigs(SettlementAtt memory a) internal view returns (bytes memory) {
    return signSorted(digestOf(a), firstKeys(committeeKeys, THRESHOLD));
  }

  function quorumSigs(NavAtt memory a) internal view returns (bytes memory) {
    return signSorted(digestOf(a), firstKeys(committeeKeys, THRESHOLD));
  }

  function deliver(SettlementAtt memory a) internal {
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
  }

  function deliver(NavAtt memory a) internal {
    bytes memory message = encodeNav(a);
    bytes memory sigs = quorumSigs(a);
    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
  }
}

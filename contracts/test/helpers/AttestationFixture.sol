// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../src/RwaHoldings.sol";
import {RwaNavFeed} from "../../src/RwaNavFeed.sol";
import {AttestationSigner} from "./AttestationSigner.sol";

/// @notice Shared base for receiver tests: one receiver with a 2-of-3 governance committee, one DID introduced by a
/// governance-signed config with a 2-of-3 DID committee (distinct keys), the usual investors allow-listed and a
/// reserve large enough never to bind, so happy-path tests keep their meaning. Message builders with sensible
/// defaults and delivery helpers that sign for this chain and this receiver.
///
/// Admin attestations made by the fixture (configs, allow-lists, reserves) take their nonces from
/// ADMIN_NONCE_BASE upwards, far from the small nonces the tests choose for settlements and NAV.
abstract contract AttestationFixture is Test, AttestationSigner {
  string internal constant DID_STRING = "did:rwa:acme:ust-bill-2026";
  bytes32 internal constant DID = keccak256(bytes(DID_STRING));
  bytes32 internal constant GOVERNANCE_DID = bytes32(0);

  string internal constant TOKEN_NAME = "Acme UST Bill 2026";
  string internal constant TOKEN_SYMBOL = "aUSTB";
  uint8 internal constant TOKEN_DECIMALS = 6;
  uint8 internal constant NAV_DECIMALS = 8;
  uint32 internal constant HEARTBEAT = 1 days;
  uint16 internal constant MAX_MOVE_BPS = 500; // 5 %

  uint256 internal constant COMMITTEE_SIZE = 3;
  uint8 internal constant THRESHOLD = 2;
  uint256 internal constant GOVERNANCE_SIZE = 3;
  uint8 internal constant GOVERNANCE_THRESHOLD = 2;
  uint256 internal constant CURSE_GUARDIAN_SIZE = 3;
  uint8 internal constant CURSE_GUARDIAN_THRESHOLD = 2;

  uint64 internal constant ADMIN_NONCE_BASE = 1 << 63;
  /// @dev The fixture's reserve: this chain's cap is the whole reserve, the largest cap the holdings can store.
  uint128 internal constant LARGE_CAP = type(uint128).max;
  /// @dev Another chain for moves (Base mainnet id; any id other than 0 and block.chainid will do).
  uint64 internal constant PEER_CHAIN_ID = 8453;

  /// @dev Block time at setUp; NAV as-of times are struck a little before it.
  uint256 internal constant T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
  uint256 internal constant NAV_1 = 100_00000000; // 100.00000000 per unit
  /// @dev The end of every signer set the fixture installs (governance's and each DID's): T0 + 50 years, far past any
  /// test's clock unless it warps there on purpose, within the 32 bits receivers store.
  uint64 internal constant VALID_UNTIL = uint64(T0 + 50 * 365 days);

  address internal relayer = makeAddr("relayer");
  address internal alice = makeAddr("alice");
  address internal bob = makeAddr("bob");
  address internal carol = makeAddr("carol");
  address internal stranger = makeAddr("stranger");

  RwaReceiver internal receiver;
  RwaHoldings internal holdings;
  RwaNavFeed internal navFeed;

  /// @dev Governance committee fixed at deployment: signs the first config of every DID and its own rotation.
  uint256[] internal governanceKeys;
  address[] internal governance;

  /// @dev DID committee private keys, sorted by ascending address; `committee[i] == vm.addr(committeeKeys[i])`.
  uint256[] internal committeeKeys;
  address[] internal committee;

  /// @dev The receivers' guardian set (RwaReceiverCurse), sorted by ascending address like the committees.
  uint256[] internal curseGuardianKeys;
  address[] internal curseGuardians;

  /// @dev Keys that are not in any committee.
  uint256[] internal outsiderKeys;

  mapping(address receiver => mapping(bytes32 did => uint64 count)) private s_adminNonces;

  function setUp() public virtual {
    vm.warp(T0);
    governanceKeys = deriveKeys(GOVERNANCE_SIZE, 1001);
    governance = addressesOf(governanceKeys);
    curseGuardianKeys = deriveKeys(CURSE_GUARDIAN_SIZE, 2001);
    curseGuardians = addressesOf(curseGuardianKeys);
    receiver = newReceiver();
    committeeKeys = deriveKeys(COMMITTEE_SIZE, 1);
    committee = addressesOf(committeeKeys);
    outsiderKeys = deriveKeys(3, 666);
    (holdings, navFeed) = configure(receiver, DID, committeeKeys, THRESHOLD);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Configuration helpers (any receiver, any DID)
  // ---------------------------------------------------------------------------------------------------------------

  /// @dev A receiver on the current chain id with the fixture's governance committee and guardian set.
  function newReceiver() internal returns (RwaReceiver) {
    return new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL, curseGuardians, CURSE_GUARDIAN_THRESHOLD);
  }

  /// @dev Guardian signatures over Curse / Uncurse(chainId, receiver, epoch) in `r`'s domain on this chain.
  function curseDigest(RwaReceiver r, uint32 epoch, bool lift) internal view returns (bytes32) {
    bytes32 typehash = lift
      ? keccak256("Uncurse(uint256 chainId,address receiver,uint32 epoch)")
      : keccak256("Curse(uint256 chainId,address receiver,uint32 epoch)");
    return typedDigest(
      domainSeparatorFor(block.chainid, address(r)), keccak256(abi.encode(typehash, block.chainid, address(r), epoch))
    );
  }

  function nextAdminNonce(RwaReceiver r, bytes32 did) internal returns (uint64) {
    return ADMIN_NONCE_BASE + s_adminNonces[address(r)][did]++;
  }

  function configAtt(bytes32 did, uint64 nonce, address[] memory signers, uint8 threshold)
    internal
    pure
    returns (ConfigAtt memory)
  {
    return ConfigAtt({
      did: did,
      nonce: nonce,
      threshold: threshold,
      navDecimals: NAV_DECIMALS,
      tokenDecimals: TOKEN_DECIMALS,
      heartbeat: HEARTBEAT,
      maxNavMoveBps: MAX_MOVE_BPS,
      signers: signers,
      name: TOKEN_NAME,
      symbol: TOKEN_SYMBOL,
      signersValidUntil: VALID_UNTIL
    });
  }

  /// @dev Signatures of `keys` (sorted here) over an admin message for receiver `r` on the current chain.
  function adminSigs(RwaReceiver r, bytes memory message, uint256[] memory keys) internal view returns (bytes memory) {
    return signSorted(adminDigest(message, block.chainid, address(r)), keys);
  }

  function governanceSigs(RwaReceiver r, bytes memory message) internal view returns (bytes memory) {
    return adminSigs(r, message, firstKeys(governanceKeys, GOVERNANCE_THRESHOLD));
  }

  /// @dev The governance-signed config that introduces `did` on `r` with the addresses of `keys` (ascending).
  function introduce(RwaReceiver r, bytes32 did, uint256[] memory keys, uint8 threshold)
    internal
    returns (RwaHoldings h, RwaNavFeed f)
  {
    bytes memory message = encodeConfig(configAtt(did, nextAdminNonce(r, did), addressesOf(keys), threshold));
    r.receiveMessage(message, governanceSigs(r, message));
    h = r.didState(did).holdings;
    f = r.navFeedOf(did);
  }

  /// @dev Introduces `did` on `r` (governance-signed config), then, signed by the new DID committee, allow-lists
  /// alice, bob and carol and applies a reserve whose whole amount is this chain's cap.
  function configure(RwaReceiver r, bytes32 did, uint256[] memory keys, uint8 threshold)
    internal
    returns (RwaHoldings h, RwaNavFeed f)
  {
    (h, f) = introduce(r, did, keys, threshold);
    uint256[] memory quorum = firstKeys(keys, threshold);
    address[] memory actors = new address[](3);
    (actors[0], actors[1], actors[2]) = (alice, bob, carol);
    setAllowed(r, did, quorum, actors, true);
    CapEntry[] memory caps = new CapEntry[](1);
    caps[0] = CapEntry({chainId: uint64(block.chainid), cap: LARGE_CAP, ceiling: 0});
    applyReserve(r, did, quorum, LARGE_CAP, caps);
  }

  /// @dev A fresh DID on the main receiver with an n-member committee derived from `salt`.
  function configureCommittee(bytes32 did, uint256 n, uint8 threshold, uint256 salt)
    internal
    returns (uint256[] memory keys, RwaHoldings h, RwaNavFeed f)
  {
    keys = deriveKeys(n, salt);
    (h, f) = configure(receiver, did, keys, threshold);
  }

  function setAllowed(RwaReceiver r, bytes32 did, uint256[] memory quorum, address[] memory accounts, bool allowed)
    internal
  {
    AllowListAtt memory a;
    a.did = did;
    a.nonce = nextAdminNonce(r, did);
    a.entries = new AllowEntry[](accounts.length);
    for (uint256 i; i < accounts.length; ++i) {
      a.entries[i] = AllowEntry({account: accounts[i], allowed: allowed});
    }
    bytes memory message = encodeAllowList(a);
    r.receiveMessage(message, adminSigs(r, message, quorum));
  }

  /// @dev A reserve as of one second after the DID's latest (so it is always newer).
  function applyReserve(RwaReceiver r, bytes32 did, uint256[] memory quorum, uint256 reserve, CapEntry[] memory caps)
    internal
  {
    uint64 asOf = uint64(block.timestamp);
    if (asOf <= r.reserveAsOf(did)) asOf = r.reserveAsOf(did) + 1;
    // This chain's honest ceiling, as the oracle reads it: the higher of its supply and its cap in force.
    RwaHoldings h = r.didState(did).holdings;
    uint256 reach = h.totalSupply() > h.supplyCap() ? h.totalSupply() : h.supplyCap();
    for (uint256 i; i < caps.length; ++i) {
      if (caps[i].chainId == block.chainid && caps[i].ceiling == 0) caps[i].ceiling = uint128(reach);
    }
    bytes memory message = encodeReserve(
      ReserveAtt({did: did, nonce: nextAdminNonce(r, did), reserve: reserve, asOf: asOf, caps: caps})
    );
    r.receiveMessage(message, adminSigs(r, message, quorum));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The main DID on the main receiver
  // ---------------------------------------------------------------------------------------------------------------

  function quorumKeys() internal view returns (uint256[] memory) {
    return firstKeys(committeeKeys, THRESHOLD);
  }

  function allow(address account) internal {
    address[] memory accounts = new address[](1);
    accounts[0] = account;
    setAllowed(receiver, DID, quorumKeys(), accounts, true);
  }

  function disallow(address account) internal {
    address[] memory accounts = new address[](1);
    accounts[0] = account;
    setAllowed(receiver, DID, quorumKeys(), accounts, false);
  }

  function setPaused(bool paused) internal {
    deliverAdmin(encodePause(PauseAtt({did: DID, nonce: nextAdminNonce(receiver, DID), paused: paused})));
  }

  /// @dev A reserve whose whole amount is this chain's cap.
  function setCap(uint128 cap) internal {
    CapEntry[] memory caps = new CapEntry[](1);
    caps[0] = CapEntry({chainId: uint64(block.chainid), cap: cap, ceiling: 0});
    applyReserve(receiver, DID, quorumKeys(), cap, caps);
  }

  function adminQuorumSigs(bytes memory message) internal view returns (bytes memory) {
    return adminSigs(receiver, message, quorumKeys());
  }

  function deliverAdmin(bytes memory message) internal {
    bytes memory sigs = adminQuorumSigs(message);
    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Attestation builders
  // ---------------------------------------------------------------------------------------------------------------

  function settlementAtt(uint8 kind, address investor, uint256 amount, uint64 nonce)
    internal
    pure
    returns (SettlementAtt memory)
  {
    bool isMove = kind == MOVE_OUT || kind == MOVE_IN;
    return SettlementAtt({
      did: DID,
      nonce: nonce,
      settlementKind: kind,
      settlementRef: keccak256(abi.encode("custodian-ref", nonce)),
      investor: investor,
      amount: amount,
      // No cash moves with holdings moving between chains.
      cashLegRef: isMove ? bytes32(0) : keccak256(abi.encode("swift-mt103", nonce)),
      settledAt: uint64(T0 - 1 hours),
      peerChainId: isMove ? PEER_CHAIN_ID : 0
    });
  }

  function subscriptionAtt(address investor, uint256 amount, uint64 nonce)
    internal
    pure
    returns (SettlementAtt memory)
  {
    return settlementAtt(SUBSCRIPTION, investor, amount, nonce);
  }

  function redemptionAtt(address investor, uint256 amount, uint64 nonce) internal pure returns (SettlementAtt memory) {
    return settlementAtt(REDEMPTION, investor, amount, nonce);
  }

  function moveOutAtt(address investor, uint256 amount, uint64 nonce) internal pure returns (SettlementAtt memory) {
    return settlementAtt(MOVE_OUT, investor, amount, nonce);
  }

  function moveInAtt(address investor, uint256 amount, uint64 nonce) internal pure returns (SettlementAtt memory) {
    return settlementAtt(MOVE_IN, investor, amount, nonce);
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
    return signSorted(digestOf(a), quorumKeys());
  }

  function quorumSigs(NavAtt memory a) internal view returns (bytes memory) {
    return signSorted(digestOf(a), quorumKeys());
  }

  function batchQuorumSigs(bytes32 root) internal view returns (bytes memory) {
    return signSorted(batchDigest(DID, root, block.chainid, address(receiver)), quorumKeys());
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

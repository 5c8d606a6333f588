// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {BrakesCodec} from "../libraries/BrakesCodec.sol";
import {BrakeBucket} from "../libraries/BrakeBucket.sol";
import {IRwaBrakes} from "../interfaces/IRwaBrakes.sol";
import {IRwaCurse} from "../interfaces/IRwaCurse.sol";
import {CurseStore} from "../libraries/CurseStore.sol";
import {Eip712Attestation} from "../libraries/Eip712Attestation.sol";
import {QuorumSignatures} from "./QuorumSignatures.sol";
import {RwaHoldings} from "../RwaHoldings.sol";

/// @notice The cold paths of the brakes, run by RwaReceiver with delegatecall (in the receiver's storage, as the
/// receiver), so their code stays out of the receiver's runtime: applying kind 14 and draining a queue. The receiver
/// creates it; called directly it refuses (NotDelegated). The settlement path is in receiver/RwaReceiverBrakes.sol.
/// Also the curse's raising and lifting (receiver/RwaReceiverCurse.sol holds the check and the views).
contract RwaBrakesModule is IRwaBrakes, IRwaCurse {
  bytes32 internal constant CURSE_TYPEHASH = keccak256("Curse(uint256 chainId,address receiver,uint32 epoch)");
  bytes32 internal constant UNCURSE_TYPEHASH = keccak256("Uncurse(uint256 chainId,address receiver,uint32 epoch)");

  address private immutable i_self = address(this);

  modifier onlyDelegated() {
    if (address(this) == i_self) revert NotDelegated();
    _;
  }

  /// @dev The receiver checked the header, the quorum and the order (superseded); `threshold` is the DID's.
  /// @return flags the new DidState.brakes.
  function applyBrakes(bytes32 did, uint64 nonce, bytes calldata message, uint8 threshold)
    external
    onlyDelegated
    returns (uint8 flags)
  {
    BrakesCodec.Brakes memory b = BrakesCodec.decodeBrakes(message);
    if (b.chainId != block.chainid) revert WrongBrakesChain(b.chainId);
    uint8 large = b.largeThreshold;
    if ((b.largeAmount == 0) != (large == 0) || large > BrakeBucket.LARGE_THRESHOLD_MASK || (large != 0 && large < threshold)) {
      revert InvalidLargeThreshold(b.largeAmount, large, threshold);
    }
    _checkRange(b.mintCapacity);
    _checkRange(b.burnCapacity);
    _checkRange(b.largeAmount);
    flags = large;
    if (_setBucket(did, BrakeBucket.MINT, b.mintCapacity, b.mintRefillPerSecond, b.largeAmount)) {
      flags |= BrakeBucket.CONSULT_MINT;
    }
    if (_setBucket(did, BrakeBucket.BURN, b.burnCapacity, b.burnRefillPerSecond, b.largeAmount)) {
      flags |= BrakeBucket.CONSULT_MINT << BrakeBucket.BURN;
    }
    emit BrakesApplied(
      did, nonce, b.mintCapacity, b.mintRefillPerSecond, b.burnCapacity, b.burnRefillPerSecond, b.largeAmount, large
    );
  }

  function _checkRange(uint256 value) private pure {
    if (value > BrakeBucket.MAX_AMOUNT) revert BrakesOutOfRange(value, BrakeBucket.MAX_AMOUNT);
  }

  /// @dev New parameters keep what the bucket held (refilled to now under the old rate, cut to the new capacity); a
  /// direction limited for the first time starts full. Capacity and refill are stored rounded down to ten significant
  /// digits at most (never above the attested values); the line exactly (else LineNotRepresentable). Returns whether
  /// settlements must consult the bucket.
  function _setBucket(bytes32 did, uint8 direction, uint128 capacity, uint128 refill, uint128 line)
    private
    returns (bool consult)
  {
    BrakeBucket.Layout storage l = BrakeBucket.layout();
    BrakeBucket.Bucket memory bk = l.buckets[did][direction];
    uint40 cap = BrakeBucket.encode(capacity);
    uint40 lineStored = BrakeBucket.encode(line);
    if (BrakeBucket.decode(lineStored) != line) revert LineNotRepresentable(line);
    uint256 stored = BrakeBucket.decode(cap);
    uint256 level = bk.capacity == 0 ? stored : BrakeBucket.refilled(bk);
    if (level > stored) level = stored;
    l.buckets[did][direction] = BrakeBucket.Bucket({
      level: uint96(level),
      lastRefill: uint32(block.timestamp),
      queued: bk.queued,
      capacity: cap,
      refillPerSecond: BrakeBucket.encode(refill),
      largeAmount: lineStored
    });
    return capacity != 0 || bk.queued;
  }

  /// @dev See RwaReceiver.drainQueued. `holdings` is the DID's token (the receiver read it).
  /// @return applied how many applied; idle true when the direction is unlimited and its queue now empty (the
  /// receiver then stops consulting its bucket).
  function drain(bytes32 did, uint8 direction, uint256 maxItems, RwaHoldings holdings)
    external
    onlyDelegated
    returns (uint256 applied, bool idle)
  {
    if (direction > BrakeBucket.BURN) revert InvalidDirection(direction);
    BrakeBucket.Layout storage l = BrakeBucket.layout();
    BrakeBucket.Queue memory q = l.queues[did][direction];
    if (q.head == q.tail) return (0, false);
    BrakeBucket.Bucket memory bk = l.buckets[did][direction];
    uint256 level = bk.capacity == 0 ? 0 : BrakeBucket.refilled(bk);
    uint64 head = q.head;
    for (; applied < maxItems && head < q.tail; ++applied) {
      BrakeBucket.QueuedSettlement memory item = l.items[did][direction][head];
      if (bk.capacity != 0) {
        if (item.amount > level) break;
        level -= item.amount;
      }
      delete l.items[did][direction][head];
      // A burn's units were escrowed in the receiver when it was queued.
      if (direction == BrakeBucket.MINT) holdings.mint(item.investor, item.amount);
      else holdings.burn(address(this), item.amount);
      emit QueuedSettlementApplied(did, item.nonce, direction, head);
      ++head;
    }
    l.queues[did][direction].head = head;
    bool queued = head != q.tail;
    bk.level = uint96(level);
    bk.lastRefill = uint32(block.timestamp);
    bk.queued = queued;
    l.buckets[did][direction] = bk;
    idle = !queued && bk.capacity == 0;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Curse (RwaReceiverCurse delegates here; msg.sender is the receiver's caller, address(this) the receiver)
  // ------------------------------------------------------------------------------------------------------------

  /// @dev As RwaReceiverCurse.curse, whose calldata the receiver forwards here unchanged.
  function curse(bytes calldata signature) external onlyDelegated {
    bytes32 separator = Eip712Attestation.domainSeparator(block.chainid, address(this));
    CurseStore.Layout storage c = CurseStore.layout();
    uint32 epoch = c.epoch;
    if (c.cursed) revert AlreadyCursed(epoch);
    address guardian = msg.sender;
    if (signature.length != 0) {
      QuorumSignatures.requireCount(signature, 1);
      guardian = QuorumSignatures.recover(_curseDigest(separator, CURSE_TYPEHASH, epoch), signature, 0);
    }
    if (!c.guardians[guardian]) revert NotGuardian(guardian);
    c.cursed = true;
    emit Cursed(guardian, epoch);
  }

  /// @dev As RwaReceiverCurse.uncurse: exactly the stored quorum of signatures, by strictly ascending guardians.
  function uncurse(bytes calldata signatures) external onlyDelegated {
    bytes32 separator = Eip712Attestation.domainSeparator(block.chainid, address(this));
    CurseStore.Layout storage c = CurseStore.layout();
    uint32 epoch = c.epoch;
    if (!c.cursed) revert NotCursed(epoch);
    uint256 n = c.quorum;
    QuorumSignatures.requireCount(signatures, n);
    bytes32 digest = _curseDigest(separator, UNCURSE_TYPEHASH, epoch);
    address last;
    for (uint256 i; i < n; ++i) {
      address g = QuorumSignatures.nextSigner(digest, signatures, i, last);
      if (!c.guardians[g]) revert NotGuardian(g);
      last = g;
    }
    c.cursed = false;
    c.epoch = epoch + 1;
    emit Uncursed(epoch);
  }

  function _curseDigest(bytes32 separator, bytes32 typehash, uint32 epoch) private view returns (bytes32) {
    return Eip712Attestation.digest(separator, keccak256(abi.encode(typehash, block.chainid, address(this), epoch)));
  }
}

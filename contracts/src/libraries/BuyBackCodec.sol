// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Wire layout (version 1) of kind 17, the buy-back report: the buy-back custodian's proof of the issuer's
/// buy-back pool and the liquidity coverage ratio (LCR) the oracle computed from its liquid assets, with the issuer's
/// liquidity floor (hub registry `setBuyBack`). Sent to every chain of the DID, signed by its signer set, applied by
/// RwaRedemptions. Opens with the 42-byte header of AttestationCodec.sol, which checks the exact length first.
/// The same layout is encoded by schemas/kinds/buyback-report.ts and pinned by schemas/vectors.json.
///
/// Buy-back report (kind 17), 141 bytes, big-endian; amounts in token base units (the reserve's unit)
///   offset  size  field
///   42      8     asOf            unix seconds of the custodian's statement; only a later one replaces the latest
///   50      16    poolCash        cash in the buy-back pool
///   66      16    assetPoolValue  the asset pool (the latest attested reserve of the DID)
///   82      16    openRequests    open redemption requests over every chain when the oracle issued it
///   98      16    liquidAssets    the pool's liquid assets after haircuts within the horizon
///   114     16    outflows        projected net outflows: openRequests + stressRate x assetPoolValue
///   130     4     lcrBps          floor(10000 x liquidAssets / outflows), at most 0xFFFFFFFE; 0xFFFFFFFF unbounded
///   134     2     minShareBps     floor: stage B below this share of the asset pool (0: none)
///   136     2     stageBBelowBps  floor: stage B for an LCR below this (0: none)
///   138     2     stageCBelowBps  floor: stage C for an LCR below this (0: none; <= stageBBelowBps)
///   140     1     staleFloor      1: stage B while the report is older than the DID's heartbeat
library BuyBackCodec {
  uint256 internal constant LENGTH = 141;
  uint32 internal constant LCR_UNBOUNDED = type(uint32).max;

  error InvalidBuyBackReport(uint32 lcrBps, uint16 minShareBps, uint16 stageBBelowBps, uint16 stageCBelowBps, uint8 staleFloor);

  /// @dev Three slots: amounts fit 128 bits on the wire.
  struct Report {
    uint64 asOf;
    uint64 nonce;
    uint32 lcrBps;
    uint16 minShareBps;
    uint16 stageBBelowBps;
    uint16 stageCBelowBps;
    bool staleFloor;
    uint128 poolCash;
    uint128 assetPoolValue;
    uint128 openRequests;
    uint128 liquidAssets;
    uint128 outflows;
  }

  /// @dev The length was checked by AttestationCodec.decodeHeader. Refuses a floor the registry could not have set
  /// (a share above 100%, stage C's band above stage B's) and a staleFloor byte other than 0 or 1.
  function decode(bytes calldata m, uint64 nonce) internal pure returns (Report memory r) {
    r.nonce = nonce;
    r.asOf = uint64(bytes8(m[42:50]));
    r.poolCash = uint128(bytes16(m[50:66]));
    r.assetPoolValue = uint128(bytes16(m[66:82]));
    r.openRequests = uint128(bytes16(m[82:98]));
    r.liquidAssets = uint128(bytes16(m[98:114]));
    r.outflows = uint128(bytes16(m[114:130]));
    r.lcrBps = uint32(bytes4(m[130:134]));
    r.minShareBps = uint16(bytes2(m[134:136]));
    r.stageBBelowBps = uint16(bytes2(m[136:138]));
    r.stageCBelowBps = uint16(bytes2(m[138:140]));
    uint8 stale = uint8(m[140]);
    if (r.minShareBps > 10_000 || r.stageCBelowBps > r.stageBBelowBps || stale > 1) {
      revert InvalidBuyBackReport(r.lcrBps, r.minShareBps, r.stageBBelowBps, r.stageCBelowBps, stale);
    }
    r.staleFloor = stale == 1;
  }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Body of the brakes attestation (kind 14), 131 bytes; AttestationCodec.decodeHeader checks the length.
/// Same layout as schemas/kinds/brakes.ts, pinned by schemas/vectors.json. Big-endian.
///   offset  size  field
///   42      8     chainId              the chain these brakes are for (any other chain's receiver refuses them)
///   50      16    mintCapacity         mint bucket size in token units; 0 = no limit on minting
///   66      16    mintRefillPerSecond  units the mint bucket regains per second
///   82      16    burnCapacity         burn bucket size in token units; 0 = no limit on burning
///   98      16    burnRefillPerSecond  units the burn bucket regains per second
///   114     16    largeAmount          a settlement above it needs exactly largeThreshold signatures; 0 = no line
///   130     1     largeThreshold       0 when largeAmount is 0
library BrakesCodec {
  struct Brakes {
    uint64 chainId;
    uint128 mintCapacity;
    uint128 mintRefillPerSecond;
    uint128 burnCapacity;
    uint128 burnRefillPerSecond;
    uint128 largeAmount;
    uint8 largeThreshold;
  }

  /// @dev The message's length is checked by decodeHeader first (131 bytes), so every slice lies inside it.
  function decodeBrakes(bytes calldata message) internal pure returns (Brakes memory b) {
    b.chainId = uint64(bytes8(message[42:50]));
    b.mintCapacity = uint128(bytes16(message[50:66]));
    b.mintRefillPerSecond = uint128(bytes16(message[66:82]));
    b.burnCapacity = uint128(bytes16(message[82:98]));
    b.burnRefillPerSecond = uint128(bytes16(message[98:114]));
    b.largeAmount = uint128(bytes16(message[114:130]));
    b.largeThreshold = uint8(message[130]);
  }
}

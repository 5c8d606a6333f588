// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @dev The items of RwaReceiver.receiveBatch (src/libraries/BatchItems.sol) from whole messages: back to back, each
/// without its DID (bytes 2..34). Written plainly, apart from the contract's code, as core/batch-tree.ts is.
library BatchItemsPacker {
  function pack(bytes[] memory messages) internal pure returns (bytes memory items) {
    for (uint256 i; i < messages.length; ++i) {
      bytes memory m = messages[i];
      bytes memory rest = new bytes(m.length - 34);
      for (uint256 j; j < rest.length; ++j) {
        rest[j] = m[34 + j];
      }
      items = bytes.concat(items, m[0], m[1], rest);
    }
  }
}

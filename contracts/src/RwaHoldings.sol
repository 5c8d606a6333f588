// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Holdings of one RWA DID on one chain, as an ERC-20. Supply changes only when the receiver applies a
/// verified settlement: the receiver is the only minter and burner, and it is fixed at construction.
contract RwaHoldings is ERC20 {
  error OnlyReceiver(address caller);

  address public immutable i_receiver;
  bytes32 public immutable i_did;
  uint8 private immutable i_decimals;

  constructor(bytes32 did, string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
    i_receiver = msg.sender;
    i_did = did;
    i_decimals = decimals_;
  }

  function decimals() public view override returns (uint8) {
    return i_decimals;
  }

  /// @dev Called by the receiver only, after quorum verification and replay protection.
  function mint(address to, uint256 amount) external {
    if (msg.sender != i_receiver) revert OnlyReceiver(msg.sender);
    _mint(to, amount);
  }

  /// @dev Reverts with ERC20InsufficientBalance when the investor holds less than the redemption.
  function burn(address from, uint256 amount) external {
    if (msg.sender != i_receiver) revert OnlyReceiver(msg.sender);
    _burn(from, amount);
  }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Holdings of one RWA DID on one chain, as an ERC-20.
/// - Supply changes only by verified attestations: the receiver mints and burns settlements (the only minter), and
///   the redemptions module burns locked units for a verified fulfilment that the receiver forwarded to it.
/// - Minting never takes supply above `supplyCap`, this chain's share of the attested reserve.
/// - Transfers move only between allow-listed accounts; a subscription mints only to an allow-listed investor.
///   Burns (redemptions, moves out) are not gated by the allow-list, so a removed holder can still be redeemed.
/// - While paused, nothing moves: no transfer, no mint, no burn, no redemption lock, unlock or burn.
/// - The chain's RwaRedemptions module (and only it) locks a holder's units for a redemption request (moves them to
///   itself, not allow-list gated, so a removed holder can still redeem), returns them on cancel and burns what a
///   verified fulfilment settles. Locked units stay in the supply until burned.
/// Allow-list, pause and cap are set only by the receiver, from verified attestations.
contract RwaHoldings is ERC20 {
  error OnlyReceiver(address caller);
  error OnlyRedemptions(address caller);
  error AssetPaused();
  error NotAllowListed(address account);
  error SupplyCapExceeded(uint256 supply, uint256 amount, uint256 cap);

  event AllowListUpdated(address indexed account, bool allowed);
  event PausedSet(bool paused);
  event SupplyCapSet(uint256 cap);

  address public immutable i_receiver;
  address public immutable i_redemptions;
  bytes32 public immutable i_did;
  uint8 private immutable i_decimals;

  bool private s_paused;
  uint128 private s_supplyCap;
  mapping(address account => bool) private s_allowed;

  /// @param receiver_ the RwaReceiver this token answers to (the only minter and burner besides the module).
  constructor(bytes32 did, string memory name_, string memory symbol_, uint8 decimals_, address receiver_, address redemptions_)
    ERC20(name_, symbol_)
  {
    i_receiver = receiver_;
    i_redemptions = redemptions_;
    i_did = did;
    i_decimals = decimals_;
  }

  modifier onlyReceiver() {
    if (msg.sender != i_receiver) revert OnlyReceiver(msg.sender);
    _;
  }

  function decimals() public view override returns (uint8) {
    return i_decimals;
  }

  function mint(address to, uint256 amount) external onlyReceiver {
    if (!s_allowed[to]) revert NotAllowListed(to);
    _mintWithinCap(to, amount);
  }

  /// @notice Mint back units a move burned here and could not land on its to-chain (a move return). Not gated by the
  /// allow-list, like a burn: the investor held these units here before the move, and a removal from the list since
  /// must not confiscate them. The cap and the pause still apply.
  function restore(address to, uint256 amount) external onlyReceiver {
    _mintWithinCap(to, amount);
  }

  function _mintWithinCap(address to, uint256 amount) internal {
    uint256 supply = totalSupply();
    uint256 cap = s_supplyCap;
    // Not `supply + amount > cap`: an amount near 2^256 would overflow into a Panic instead of the named error.
    if (supply > cap || amount > cap - supply) revert SupplyCapExceeded(supply, amount, cap);
    _mint(to, amount);
  }

  /// @dev Reverts with ERC20InsufficientBalance when the investor holds less than the amount.
  function burn(address from, uint256 amount) external onlyReceiver {
    _burn(from, amount);
  }

  /// @notice Move `amount` of `from`'s units to the receiver, which burns them later: a burn the brakes queued
  /// (RwaReceiverBrakes), so the holder cannot move them away meanwhile. Skips the allow-list, like a burn.
  function escrow(address from, uint256 amount) external onlyReceiver {
    if (s_paused) revert AssetPaused();
    ERC20._update(from, msg.sender, amount);
  }

  /// @notice Move `amount` of `owner`'s units to the redemptions module (a request locks them).
  function lockFrom(address owner, uint256 amount) external {
    _moveForRedemption(owner, i_redemptions, amount);
  }

  /// @notice Return `amount` locked units to `owner` (a cancelled request).
  function unlockTo(address owner, uint256 amount) external {
    _moveForRedemption(i_redemptions, owner, amount);
  }

  /// @notice Burn `amount` of the locked units (a verified fulfilment).
  function burnLocked(uint256 amount) external {
    if (msg.sender != i_redemptions) revert OnlyRedemptions(msg.sender);
    _burn(msg.sender, amount);
  }

  /// @dev Skips the allow-list (ERC20._update, not ours) but not the pause; a zero address would mint or burn.
  function _moveForRedemption(address from, address to, uint256 amount) private {
    if (msg.sender != i_redemptions) revert OnlyRedemptions(msg.sender);
    if (s_paused) revert AssetPaused();
    if (from == address(0)) revert ERC20InvalidSender(from);
    if (to == address(0)) revert ERC20InvalidReceiver(to);
    ERC20._update(from, to, amount);
  }

  function setAllowed(address account, bool allowed) external onlyReceiver {
    s_allowed[account] = allowed;
    emit AllowListUpdated(account, allowed);
  }

  function setPaused(bool paused_) external onlyReceiver {
    s_paused = paused_;
    emit PausedSet(paused_);
  }

  /// @dev A cap below the current supply is allowed: it blocks minting until redemptions bring supply under it.
  function setSupplyCap(uint128 cap) external onlyReceiver {
    s_supplyCap = cap;
    emit SupplyCapSet(cap);
  }

  function _update(address from, address to, uint256 value) internal override {
    if (s_paused) revert AssetPaused();
    if (from != address(0) && to != address(0)) {
      if (!s_allowed[from]) revert NotAllowListed(from);
      if (!s_allowed[to]) revert NotAllowListed(to);
    }
    super._update(from, to, value);
  }

  function paused() external view returns (bool) {
    return s_paused;
  }

  function supplyCap() external view returns (uint256) {
    return s_supplyCap;
  }

  function isAllowed(address account) external view returns (bool) {
    return s_allowed[account];
  }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice Kind 11: documents anchored by hash, the latest per (DID, document kind).
contract RwaRedemptionsDisclosureTest is RedemptionFixture {
  uint8 internal constant NAV_REPORT = 1;
  uint8 internal constant AUDIT_REPORT = 3;
  uint8 internal constant INCIDENT_NOTICE = 4;

  function test_disclosure_AnchorsTheLatestPerKind() public {
    DisclosureAtt memory a = disclosureAtt(AUDIT_REPORT, uint64(T0 - 1 days));
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.DisclosureAnchored(DID, a.nonce, AUDIT_REPORT, a.docHash, a.asOf, a.uri);
    deliverRedemption(encodeDisclosure(a));
    RwaRedemptions.Disclosure memory d = redemptions.disclosureOf(DID, AUDIT_REPORT);
    assertEq(d.docHash, a.docHash);
    assertEq(d.asOf, a.asOf);
    assertEq(d.nonce, a.nonce);

    DisclosureAtt memory later = disclosureAtt(AUDIT_REPORT, uint64(T0));
    deliverRedemption(encodeDisclosure(later));
    assertEq(redemptions.disclosureOf(DID, AUDIT_REPORT).docHash, later.docHash);
    assertEq(redemptions.disclosureOf(DID, NAV_REPORT).asOf, 0, "kinds are independent");
  }

  function test_disclosure_KindsHaveTheirOwnClock() public {
    deliverRedemption(encodeDisclosure(disclosureAtt(AUDIT_REPORT, uint64(T0))));
    deliverRedemption(encodeDisclosure(disclosureAtt(NAV_REPORT, uint64(T0 - 30 days))));
    assertEq(redemptions.disclosureOf(DID, NAV_REPORT).asOf, T0 - 30 days);
  }

  function test_disclosure_EmptyUri() public {
    DisclosureAtt memory a = disclosureAtt(INCIDENT_NOTICE, 1);
    a.uri = "";
    bytes memory m = encodeDisclosure(a);
    assertEq(m.length, DISCLOSURE_FIXED_LEN);
    deliverRedemption(m);
    assertEq(redemptions.disclosureOf(DID, INCIDENT_NOTICE).asOf, 1);
  }

  function test_RevertWhen_disclosure_NotNewer() public {
    deliverRedemption(encodeDisclosure(disclosureAtt(AUDIT_REPORT, uint64(T0))));
    deliverRedemptionExpectRevert(
      encodeDisclosure(disclosureAtt(AUDIT_REPORT, uint64(T0))),
      abi.encodeWithSelector(RwaRedemptions.DisclosureNotNewer.selector, AUDIT_REPORT, uint64(T0), uint64(T0))
    );
    deliverRedemptionExpectRevert(
      encodeDisclosure(disclosureAtt(AUDIT_REPORT, uint64(T0 - 1))),
      abi.encodeWithSelector(RwaRedemptions.DisclosureNotNewer.selector, AUDIT_REPORT, uint64(T0 - 1), uint64(T0))
    );
  }

  function test_RevertWhen_disclosure_AsOfZero() public {
    deliverRedemptionExpectRevert(
      encodeDisclosure(disclosureAtt(NAV_REPORT, 0)),
      abi.encodeWithSelector(RwaRedemptions.DisclosureNotNewer.selector, NAV_REPORT, 0, 0)
    );
  }

  function test_RevertWhen_disclosure_UnknownKind() public {
    deliverRedemptionExpectRevert(
      encodeDisclosure(disclosureAtt(0, 1)), abi.encodeWithSelector(RwaRedemptions.InvalidDisclosureKind.selector, 0)
    );
    deliverRedemptionExpectRevert(
      encodeDisclosure(disclosureAtt(5, 1)), abi.encodeWithSelector(RwaRedemptions.InvalidDisclosureKind.selector, 5)
    );
  }
}

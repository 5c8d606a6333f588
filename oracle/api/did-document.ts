import type { Address, Hex } from 'viem';
import type { DidRecord } from '../../core/chain/registry.js';

export interface DidDocumentInput {
  did: string;
  didHash: Hex;
  record: DidRecord;
  custodians: readonly Address[];
  navPublishers: readonly Address[];
  hubChainId: bigint;
  registry: Address;
  /** Base URL of this oracle's API. */
  serviceUrl: string;
  /** Governance's signer set on each receiver: when it ends (signs a DID's first config and revives an expired one). */
  governance: readonly { chainId: number; signersValidUntil: number; secondsLeft: number }[];
}

export const DID_CONTEXT = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/secp256k1recovery-2020/v2'] as const;

/**
 * A W3C DID Core document for an RWA DID: every key allowed to speak for it (committee signers, custodians, NAV
 * publishers) as an EcdsaSecp256k1RecoveryMethod2020 with a CAIP-10 account on the hub chain, the oracle API as
 * services, and a `registry` section with the hub registry's state (non-standard, ignored by generic resolvers).
 */
export function didDocument(i: DidDocumentInput) {
  const method = (role: string, address: Address) => ({
    id: `${i.did}#${role}-${address.toLowerCase()}`,
    type: 'EcdsaSecp256k1RecoveryMethod2020' as const,
    controller: i.did,
    blockchainAccountId: `eip155:${i.hubChainId}:${address}`,
  });
  const methods = [
    ...i.record.signers.map((a) => method('committee', a)),
    ...i.custodians.map((a) => method('custodian', a)),
    ...i.navPublishers.map((a) => method('nav-publisher', a)),
  ];
  const service = (fragment: string, type: string, path: string) => ({ id: `${i.did}#${fragment}`, type, serviceEndpoint: `${i.serviceUrl}${path}` });
  return {
    '@context': DID_CONTEXT,
    id: i.did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
    service: [
      service('oracle', 'RwaSettlementOracle', ''),
      service('settlements', 'RwaSettlementProofs', '/v1/settlements'),
      service('nav', 'RwaNavReports', '/v1/nav'),
      service('attestations', 'RwaAttestationFeed', '/v1/attestations'),
    ],
    registry: {
      chainId: Number(i.hubChainId),
      address: i.registry,
      didHash: i.didHash,
      name: i.record.name,
      symbol: i.record.symbol,
      issuer: i.record.issuer,
      threshold: i.record.threshold,
      navDecimals: i.record.navDecimals,
      tokenDecimals: i.record.tokenDecimals,
      heartbeat: i.record.heartbeat,
      maxNavMoveBps: i.record.maxNavMoveBps,
      signers: i.record.signers,
      /** Unix seconds after which the signer set verifies nothing on any chain until a later config lands. */
      signersValidUntil: i.record.signersValidUntil,
      custodians: i.custodians,
      navPublishers: i.navPublishers,
      chainIds: i.record.chainIds.map(Number),
    },
    governance: i.governance.map((g) => ({ chainId: g.chainId, signersValidUntil: g.signersValidUntil, secondsLeft: g.secondsLeft })),
  };
}

/**
 * EIP-712 definitions, defined once for the oracle, the relayer, the tests and the contracts' golden vectors.
 * Two families:
 * - committee attestations, verified on chain by RwaReceiver: domain bound to the destination chain id and the
 *   destination receiver (so a signature for one chain never verifies on another);
 * - custodian requests, verified off chain by the oracle: domain bound to the hub chain and the DID registry.
 */
export const ATTESTATION_DOMAIN_NAME = 'RWA Settlement Oracle';
export const ATTESTATION_DOMAIN_VERSION = '1';
export const CUSTODIAN_DOMAIN_NAME = 'RWA Oracle Custodian API';
export const CUSTODIAN_DOMAIN_VERSION = '1';

export const attestationTypes = {
  SettlementAttestation: [
    { name: 'did', type: 'bytes32' },
    { name: 'nonce', type: 'uint64' },
    { name: 'settlementKind', type: 'uint8' },
    { name: 'settlementRef', type: 'bytes32' },
    { name: 'investor', type: 'address' },
    { name: 'amount', type: 'uint256' },
    { name: 'cashLegRef', type: 'bytes32' },
    { name: 'settledAt', type: 'uint64' },
    { name: 'peerChainId', type: 'uint64' },
  ],
  NavAttestation: [
    { name: 'did', type: 'bytes32' },
    { name: 'nonce', type: 'uint64' },
    { name: 'nav', type: 'uint256' },
    { name: 'asOf', type: 'uint64' },
  ],
  /** Config, allow-list, pause and reserve: the packed body (message bytes after the 42-byte header). */
  AdminAttestation: [
    { name: 'did', type: 'bytes32' },
    { name: 'nonce', type: 'uint64' },
    { name: 'kind', type: 'uint8' },
    { name: 'body', type: 'bytes' },
  ],
  /** One quorum over a Merkle root of settlement / NAV messages (RwaReceiver.receiveBatch). */
  AttestationBatch: [
    { name: 'did', type: 'bytes32' },
    { name: 'root', type: 'bytes32' },
  ],
} as const;

export const custodianTypes = {
  SettlementProof: [
    { name: 'did', type: 'string' },
    { name: 'chainId', type: 'uint64' },
    { name: 'kind', type: 'string' },
    { name: 'settlementRef', type: 'string' },
    { name: 'investor', type: 'address' },
    { name: 'amount', type: 'uint256' },
    { name: 'cashLegRef', type: 'bytes32' },
    { name: 'settledAt', type: 'uint64' },
  ],
  NavReport: [
    { name: 'did', type: 'string' },
    { name: 'nav', type: 'uint256' },
    { name: 'asOf', type: 'uint64' },
  ],
  /** Signed by a custodian: the reserve (cash and T-bills held) backing the DID, in token base units. */
  ReserveReport: [
    { name: 'did', type: 'string' },
    { name: 'reserve', type: 'uint256' },
    { name: 'asOf', type: 'uint64' },
  ],
  /** Signed by the DID's issuer: accounts allowed (or no longer allowed) to hold and receive the asset. */
  AllowListUpdate: [
    { name: 'did', type: 'string' },
    { name: 'ref', type: 'string' },
    { name: 'accounts', type: 'address[]' },
    { name: 'allowed', type: 'bool[]' },
  ],
  /** Signed by the DID's issuer: stop (or resume) transfers and settlement application on every chain. */
  PauseOrder: [
    { name: 'did', type: 'string' },
    { name: 'ref', type: 'string' },
    { name: 'paused', type: 'bool' },
  ],
  /** Signed by a custodian: move an investor's units from one chain to another (burn there, mint here); total unchanged. */
  MoveInstruction: [
    { name: 'did', type: 'string' },
    { name: 'ref', type: 'string' },
    { name: 'investor', type: 'address' },
    { name: 'amount', type: 'uint256' },
    { name: 'fromChainId', type: 'uint64' },
    { name: 'toChainId', type: 'uint64' },
  ],
  /** Signed by a custodian: cash paid for (part of) a redemption request; burns that many locked units on its chain. */
  RedemptionFulfilment: [
    { name: 'did', type: 'string' },
    { name: 'chainId', type: 'uint64' },
    { name: 'requestId', type: 'uint64' },
    { name: 'settlementRef', type: 'string' },
    { name: 'amount', type: 'uint256' },
    { name: 'cashLegRef', type: 'bytes32' },
    { name: 'settledAt', type: 'uint64' },
  ],
  /** Signed by a custodian before it pays: it commits to pay this request, which its holder can then no longer cancel. */
  RedemptionAcceptance: [
    { name: 'did', type: 'string' },
    { name: 'chainId', type: 'uint64' },
    { name: 'requestId', type: 'uint64' },
    { name: 'owner', type: 'address' },
    { name: 'amount', type: 'uint256' },
    { name: 'acceptedAt', type: 'uint64' },
  ],
  /** Signed by the DID's issuer: a document (NAV report, custody statement, audit report, incident notice) by hash. */
  Disclosure: [
    { name: 'did', type: 'string' },
    { name: 'docKind', type: 'uint8' },
    { name: 'docHash', type: 'bytes32' },
    { name: 'uri', type: 'string' },
    { name: 'asOf', type: 'uint64' },
  ],
} as const;

export function attestationDomain(chainId: bigint, receiver: `0x${string}`) {
  return {
    name: ATTESTATION_DOMAIN_NAME,
    version: ATTESTATION_DOMAIN_VERSION,
    chainId,
    verifyingContract: receiver,
  } as const;
}

export function custodianDomain(hubChainId: bigint, registry: `0x${string}`) {
  return {
    name: CUSTODIAN_DOMAIN_NAME,
    version: CUSTODIAN_DOMAIN_VERSION,
    chainId: hubChainId,
    verifyingContract: registry,
  } as const;
}

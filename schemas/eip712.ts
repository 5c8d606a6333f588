import { REQUEST_SIGNINGS } from './kinds/index.js';

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

/** The EIP-712 types of custodian, NAV publisher and issuer requests: each kind module's `signing` (schemas/kinds/). */
type Signing = (typeof REQUEST_SIGNINGS)[number];
export const custodianTypes = Object.fromEntries(REQUEST_SIGNINGS.map((s) => [s.primaryType, s.fields])) as { readonly [S in Signing as S['primaryType']]: S['fields'] };

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

/** The typed data of a batch root (RwaReceiver.receiveBatch): AttestationBatch{did, root} in a chain's attestation domain. */
export function batchTypedData(chainId: bigint, receiver: `0x${string}`, did: `0x${string}`, root: `0x${string}`) {
  return { domain: attestationDomain(chainId, receiver), types: attestationTypes, primaryType: 'AttestationBatch', message: { did, root } } as const;
}

/**
 * The guardians' curse of one receiver (RwaReceiverCurse): a Curse needs one guardian, an Uncurse guardianQuorum of
 * them; both name the receiver's current curseEpoch(), in the attestation domain of that chain and receiver.
 */
export const curseTypes = {
  Curse: [
    { name: 'chainId', type: 'uint256' },
    { name: 'receiver', type: 'address' },
    { name: 'epoch', type: 'uint32' },
  ],
  Uncurse: [
    { name: 'chainId', type: 'uint256' },
    { name: 'receiver', type: 'address' },
    { name: 'epoch', type: 'uint32' },
  ],
} as const;

export function curseTypedData(primaryType: 'Curse' | 'Uncurse', chainId: bigint, receiver: `0x${string}`, epoch: number) {
  return { domain: attestationDomain(chainId, receiver), types: curseTypes, primaryType, message: { chainId, receiver, epoch } } as const;
}

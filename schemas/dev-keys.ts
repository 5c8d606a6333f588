import { keccak256, sliceHex, stringToBytes, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/**
 * DEV-ONLY keys, derived from public labels: anyone can compute them. They exist so `npm start` and the tests run
 * with no setup; the oracle refuses them unless it runs in dev mode. Never fund or register them anywhere real.
 */
const devKey = (label: string): Hex => keccak256(stringToBytes(`rwa-oracle DEV-ONLY key: ${label}`));

export const DEV_COMMITTEE_KEYS: readonly Hex[] = [devKey('committee signer 1'), devKey('committee signer 2'), devKey('committee signer 3')];
export const DEV_COMMITTEE_THRESHOLD = 2;
/**
 * The end (unix seconds, 2096-10-02) of every signer set the tests install on a receiver, governance's included: far
 * past any test clock, within the 32 bits a receiver stores. `npm start` uses a year from now instead (devnet/deploy.ts).
 */
export const DEV_SIGNERS_VALID_UNTIL = 4_000_000_000;
export const DEV_CUSTODIAN_KEY = devKey('custodian');
/** The buy-back pool's custodian (kind 17): independent of the asset custodian. */
export const DEV_BUYBACK_CUSTODIAN_KEY = devKey('buy-back custodian');
export const DEV_NAV_PUBLISHER_KEY = devKey('nav publisher');
export const DEV_ISSUER_KEY = devKey('issuer');
/** A key registered nowhere: what an outsider would sign with. */
export const DEV_OUTSIDER_KEY = devKey('outsider');

/** Anvil's well-known first accounts (mnemonic "test test ... junk"): deployer and relayer gas payer. */
export const ANVIL_DEPLOYER_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const ANVIL_RELAYER_KEY: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

/** DEV-ONLY committee of the local CCIP CommitteeVerifier (the role Chainlink's verifier network plays). */
export const DEV_LOCAL_CCV_KEYS: readonly Hex[] = [1, 2, 3].map((i) => keccak256(stringToBytes(`rwa-oracle DEV-ONLY key: ccip committee verifier ${i}`)));
export const DEV_LOCAL_CCV_THRESHOLD = 2;
/** Version tag of the local CommitteeVerifier: its resolver routes on it and its committee signs it. */
export const LOCAL_COMMITTEE_VERSION_TAG: Hex = sliceHex(keccak256(stringToBytes('rwa-oracle local CommitteeVerifier v1')), 0, 4);

/**
 * DEV-ONLY guardian set of the local Wormhole transport (the role Wormhole's 19 guardians play): four keys, quorum
 * floor(2 * 4 / 3) + 1 = 3. The relayer signs VAAs with them on local chains only.
 */
export const DEV_WORMHOLE_GUARDIAN_KEYS: readonly Hex[] = [1, 2, 3, 4].map((i) => keccak256(stringToBytes(`rwa-oracle DEV-ONLY key: wormhole guardian ${i}`)));

/**
 * DEV-ONLY guardian set of every devnet receiver's curse (RwaReceiverCurse): three keys, an uncurse needs two, a
 * curse one. Separate from the committee on purpose (the curse is the brake when the committee is suspect).
 */
export const DEV_CURSE_GUARDIAN_KEYS: readonly Hex[] = [1, 2, 3].map((i) => devKey(`curse guardian ${i}`));
export const DEV_CURSE_GUARDIAN_THRESHOLD = 2;

/** The dev guardians' addresses, strictly ascending as the receiver's constructor requires. */
export function devCurseGuardians(): `0x${string}`[] {
  return DEV_CURSE_GUARDIAN_KEYS.map((k) => privateKeyToAccount(k).address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
}

/** RwaReceiver's constructor arguments for a dev or test chain: this governance committee and the dev guardian set. */
export function devReceiverArgs(governance: readonly `0x${string}`[], threshold: number, governanceValidUntil: bigint = BigInt(DEV_SIGNERS_VALID_UNTIL)) {
  return [governance, threshold, governanceValidUntil, devCurseGuardians(), DEV_CURSE_GUARDIAN_THRESHOLD] as const;
}

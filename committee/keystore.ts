/** The keystore decryptor moved to common/keystore.ts (the CLI reads keystores too); re-exported for the signer. */
export { KeystoreError, decryptKeystore } from '../common/keystore.js';

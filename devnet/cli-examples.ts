import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { encryptKeystore } from '../cli/keystore-write.js';

/** The password of the devnet's example keystores (they hold DEV-ONLY keys anyone can compute). */
export const DEV_KEYSTORE_PASSWORD = 'devnet';

/**
 * Writes the dev keys as v3 keystores under `dir` (light scrypt: DEV-ONLY keys), so the printed `rwa` commands sign
 * from a keystore as a real custodian, holder or issuer would; overwritten at each start. Returns path by role.
 */
export function writeDevKeystores(dir: string, keys: Readonly<Record<string, Hex>>): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [role, key] of Object.entries(keys)) {
    const path = join(dir, `${role}.keystore.json`);
    writeFileSync(path, `${JSON.stringify(encryptKeystore(key, DEV_KEYSTORE_PASSWORD, { scryptN: 16_384 }), null, 2)}\n`, { mode: 0o600 });
    paths[role] = path;
  }
  return paths;
}

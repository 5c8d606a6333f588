import { readFileSync } from 'node:fs';
import { parseDeployment, type Deployment } from '../schemas/deployment.js';

/** Reads and validates a deployment JSON file; `variable` names the setting in the error (e.g. ORACLE_DEPLOYMENT). */
export function readDeploymentFile(path: string, variable: string): { ok: true; deployment: Deployment } | { ok: false; message: string; cause?: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { ok: false, message: `${variable}: cannot read ${path}`, cause: err };
  }
  const parsed = parseDeployment(raw);
  if (!parsed.ok) return { ok: false, message: `${variable}: ${parsed.issue.field} ${parsed.issue.message}` };
  return { ok: true, deployment: parsed.value };
}

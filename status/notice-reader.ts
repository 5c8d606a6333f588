/** Reads the incident notice a DID owes from the oracle (GET /v1/dids/:did/notice), parsed at the edge. */
import { parserFor } from '../schemas/validate.js';
import type { NoticeRead } from './inputs.js';
import { getJson } from './relayer-reader.js';

const noticeSchema = {
  type: 'object',
  required: ['notice'],
  properties: {
    notice: {
      type: 'object',
      required: ['due', 'stage', 'since'],
      properties: { due: { type: 'boolean' }, stage: { type: ['string', 'null'] }, since: { type: ['integer', 'null'] }, required: { type: 'string' } },
    },
  },
} as const;

const parseNotice = parserFor<{ notice: { due: boolean; stage: string | null; since: number | null; required?: string } }>(noticeSchema);

export async function readNotice(oracleUrl: string, did: string, timeoutMs: number): Promise<NoticeRead> {
  const { notice } = await getJson(`${oracleUrl}/v1/dids/${encodeURIComponent(did)}/notice`, parseNotice, timeoutMs);
  return { due: notice.due, stage: notice.stage, since: notice.since, required: notice.due ? (notice.required ?? null) : null };
}

import type { Context } from 'hono';
import { OracleError, badRequest } from './errors.js';

/** Reads a JSON body at the edge: 415 unless application/json, 400 naming `(body)` when it does not parse. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new OracleError(415, 'unsupported_media_type', 'send the body as application/json', 'content-type');
  }
  try {
    return await c.req.json();
  } catch {
    throw new OracleError(400, 'invalid_json', 'body is not valid JSON', '(body)');
  }
}

/** Narrows a parsed body or throws a 400 naming the field the schema refused. */
export function parseOrThrow<T>(parse: (x: unknown) => { ok: true; value: T } | { ok: false; issue: { field: string; message: string } }, input: unknown): T {
  const r = parse(input);
  if (!r.ok) throw badRequest(r.issue.field, r.issue.message);
  return r.value;
}

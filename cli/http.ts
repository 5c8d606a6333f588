import { RefusedError, UnreachableError } from './errors.js';

export interface Answer {
  status: number;
  json: unknown;
}

/** One HTTP call to the oracle or the relayer; an unreachable service or a body that is not JSON is UnreachableError. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const target = new URL(url).origin;
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new UnreachableError(`cannot reach ${target}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`, target, err);
  }
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) as unknown };
  } catch (err) {
    throw new UnreachableError(`${target} answered ${res.status} with a body that is not JSON`, target, err);
  }
}

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
  call(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

const isErrorBody = (j: unknown): j is ErrorBody =>
  typeof j === 'object' && j !== null && 'error' in j && typeof (j as ErrorBody).error === 'object' && typeof (j as ErrorBody).error?.code === 'string';

/**
 * An answer that is not 2xx as the CLI's error: 503 (a chain or a service could not be read now) is unreachable,
 * any other refusal carries the service's code and field.
 */
export function refusal(a: Answer, what: string, target: string): RefusedError | UnreachableError {
  const body = isErrorBody(a.json) ? a.json.error : { code: `http_${a.status}`, message: JSON.stringify(a.json) };
  if (a.status === 503 || a.status === 502 || a.status === 504) return new UnreachableError(`${what}: ${body.code}: ${body.message}`, target);
  return new RefusedError(`${what} refused (${a.status} ${body.code}${body.field ? `, field ${body.field}` : ''}): ${body.message}`, body.code, body.field, a.status);
}

/** The answer's JSON when 2xx, else the refusal. */
export function ok<T>(a: Answer, what: string, target: string): T {
  if (a.status >= 200 && a.status < 300) return a.json as T;
  throw refusal(a, what, target);
}

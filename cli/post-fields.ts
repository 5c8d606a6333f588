import { parserFor } from '../schemas/validate.js';
import type { FlagSpec, ParsedArgs } from './args.js';
import { chainOf, didOf, type Context } from './context.js';
import { UsageError } from './errors.js';

/** One property of a request's JSON Schema, as far as turning a flag into it needs. */
interface Property {
  type?: string;
  pattern?: string;
  enum?: readonly string[];
  description?: string;
  items?: unknown;
}

interface RequestSchema {
  required: readonly string[];
  properties: Readonly<Record<string, Property>>;
}

/** Fields that default to the current time when their flag is absent. */
const NOW_FIELDS = new Set(['asOf', 'settledAt', 'acceptedAt']);
/** Fields that take a chain of the deployment by name as well as an EVM chain id. */
const isChainField = (name: string) => name === 'chainId' || name.endsWith('ChainId');

/** The request fields a command fills (every schema property but the signature, which the CLI adds). */
export function fieldsOf(schema: object): [string, Property][] {
  return Object.entries((schema as RequestSchema).properties).filter(([name]) => name !== 'signature');
}

const SHAPES: Readonly<Record<string, string>> = { '^0x[0-9a-fA-F]{40}$': 'address', '^0x[0-9a-fA-F]{64}$': '32-byte hex' };

const describe = (name: string, p: Property): string => {
  const shape = p.pattern ? SHAPES[p.pattern] : undefined;
  const what = p.enum ? `one of ${p.enum.join(', ')}` : [shape, p.description].filter(Boolean).join(': ') || (p.type === 'array' ? 'list' : (p.type ?? 'string'));
  if (name === 'did') return "did:rwa:...; default: the deployment's first DID";
  if (NOW_FIELDS.has(name)) return `${what}; default: now`;
  if (isChainField(name)) return `${what}; a chain name of the deployment works too`;
  if (name === 'entries') return 'account=true|false (allow or remove), repeat or comma-separate';
  if (name === 'buckets') return 'kind:amount:haircutBps:daysToCash (kind cash|tbill|other), repeat or comma-separate';
  return what;
};

/** The flags of a request: one per schema field, named exactly as the field. */
export function fieldFlags(schema: object): FlagSpec[] {
  return fieldsOf(schema).map(([name, p]) => ({
    name,
    kind: p.type === 'array' ? 'list' : 'value',
    placeholder: name === 'did' ? 'did' : p.type === 'integer' ? (isChainField(name) ? 'chain' : 'int') : p.type === 'boolean' ? 'true|false' : p.type === 'array' ? 'entry' : p.pattern ? (SHAPES[p.pattern] === 'address' ? 'address' : SHAPES[p.pattern] ? 'hex' : 'value') : 'value',
    description: describe(name, p),
  }));
}

/** `--buckets cash:7800000:0:0,tbill:30000000:300:1`: the buy-back pool's liquid assets (schema checks the values). */
function bucketsOf(raw: readonly string[]): { kind: string; amount: string; haircutBps: number; daysToCash: number }[] {
  return raw
    .flatMap((r) => r.split(','))
    .filter((s) => s !== '')
    .map((e) => {
      const m = /^(\w+):(\d+):(\d+):(\d+)$/.exec(e.trim());
      if (!m) throw new UsageError(`--buckets: expected kind:amount:haircutBps:daysToCash, got ${e}`, 'buckets');
      return { kind: m[1]!, amount: m[2]!, haircutBps: Number(m[3]), daysToCash: Number(m[4]) };
    });
}

function entriesOf(raw: readonly string[]): { account: string; allowed: boolean }[] {
  return raw
    .flatMap((r) => r.split(','))
    .filter((s) => s !== '')
    .map((e) => {
      const m = /^([^=]+)=(true|false|allow|deny)$/.exec(e.trim());
      if (!m) throw new UsageError(`--entries: expected account=true|false, got ${e}`, 'entries');
      return { account: m[1]!, allowed: m[2] === 'true' || m[2] === 'allow' };
    });
}

/**
 * The unsigned request body from the flags: integers and booleans typed as the schema wants, chain names turned into
 * chain ids, defaults for the DID and the time fields. Validation is left to `checkBody`.
 */
export function bodyFrom(schema: object, ctx: Context, args: ParsedArgs, now: number): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, p] of fieldsOf(schema)) {
    if (p.type === 'array') {
      const list = args.lists.get(name);
      if (list) body[name] = name === 'buckets' ? bucketsOf(list) : entriesOf(list);
      continue;
    }
    const raw = args.values.get(name);
    if (raw === undefined) {
      if (name === 'did') body.did = didOf(ctx, args);
      else if (NOW_FIELDS.has(name)) body[name] = now;
      continue;
    }
    if (p.type === 'integer') {
      if (/^\d+$/.test(raw)) {
        if (!Number.isSafeInteger(Number(raw))) throw new UsageError(`--${name}: ${raw} is past 2^53`, name);
        body[name] = Number(raw);
      }
      else if (isChainField(name)) body[name] = chainOf(ctx, raw, name).chainId;
      else throw new UsageError(`--${name}: expected an integer, got ${raw}`, name);
    } else if (p.type === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`--${name}: expected true or false, got ${raw}`, name);
      body[name] = raw === 'true';
    } else body[name] = raw;
  }
  return body;
}

const checkers = new Map<object, (input: unknown) => ReturnType<ReturnType<typeof parserFor>>>();

/** The request's own JSON Schema without the signature (the CLI signs after): the oracle's edge check, run first. */
function unsignedChecker(schema: object) {
  let check = checkers.get(schema);
  if (!check) {
    const s = schema as RequestSchema & { $id?: string };
    const { signature: _sig, ...properties } = s.properties;
    const { $id: _id, ...rest } = s;
    check = parserFor({ ...rest, required: s.required.filter((r) => r !== 'signature'), properties });
    checkers.set(schema, check);
  }
  return check;
}

/** Validates the body against the kind's JSON Schema; a failure names the flag of the field (exit 2). */
export function checkBody(schema: object, body: Record<string, unknown>): void {
  const r = unsignedChecker(schema)(body);
  if (r.ok) return;
  const top = r.issue.field.split('.')[0] ?? r.issue.field;
  const flag = fieldsOf(schema).some(([n]) => n === top) ? `--${top}` : r.issue.field;
  if (r.issue.message === 'is required') throw new UsageError(`missing ${flag}`, r.issue.field);
  throw new UsageError(`${flag}${r.issue.field !== top ? ` (${r.issue.field})` : ''}: ${r.issue.message}`, r.issue.field);
}

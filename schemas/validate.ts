import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

/** A validation failure that names the offending field (JSON pointer turned into a dotted path). */
export interface SchemaIssue {
  field: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issue: SchemaIssue };

const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });

function describe(e: ErrorObject): SchemaIssue {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return { field: base ? `${base}.${missing}` : missing, message: 'is required' };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return { field: base ? `${base}.${extra}` : extra, message: 'is not allowed' };
  }
  return { field: base || '(body)', message: e.message ?? 'is invalid' };
}

/** Compile a schema once; the returned parser narrows `unknown` to the schema's type or names the bad field. */
export function parserFor<T>(schema: object): (input: unknown) => Parsed<T> {
  const validate = ajv.compile(schema);
  return (input) => {
    if (validate(input)) return { ok: true, value: input as T };
    const first = validate.errors?.[0];
    return { ok: false, issue: first ? describe(first) : { field: '(body)', message: 'is invalid' } };
  };
}

/**
 * Checks a parsed value against a JSON schema of the subset our runtime's grammars accept
 * (lib/llm/json-schema.ts: object properties all required, array items with min/maxItems, string
 * enum/const/min/maxLength, number, integer, boolean, null, anyOf). The bench's JSON-validity figure
 * is "parses AND has the schema's shape", so a grammar that let a wrong shape through would show.
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

/** Where the value breaks the schema ("" when it does not). */
export function schemaViolation(value: unknown, schema: Schema, at = '$'): string {
  if (schema.anyOf || schema.oneOf) {
    const alts = (schema.anyOf ?? schema.oneOf)!;
    return alts.some((s) => !schemaViolation(value, s, at)) ? '' : `${at}: matches none of ${alts.length} alternatives`;
  }
  if ('const' in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) return `${at}: not the const`;
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return `${at}: ${JSON.stringify(value)} not in enum`;
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length && !types.some((t) => isType(value, t))) return `${at}: not ${types.join('|')}`;
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return `${at}: shorter than ${schema.minLength}`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${at}: longer than ${schema.maxLength}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `${at}: fewer than ${schema.minItems} items`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${at}: more than ${schema.maxItems} items`;
    if (schema.items) for (let i = 0; i < value.length; i++) {
      const v = schemaViolation(value[i], schema.items, `${at}[${i}]`);
      if (v) return v;
    }
  }
  if (schema.properties && value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const [k, s] of Object.entries(schema.properties)) {
      if (!(k in obj)) return `${at}.${k}: missing`;
      const v = schemaViolation(obj[k], s, `${at}.${k}`);
      if (v) return v;
    }
    const extra = Object.keys(obj).filter((k) => !(k in schema.properties!));
    if (extra.length) return `${at}: unexpected ${extra.join(', ')}`;
  }
  return '';
}

function isType(v: unknown, t: string): boolean {
  switch (t) {
    case 'object': return !!v && typeof v === 'object' && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    default: return false;
  }
}

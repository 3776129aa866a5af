/**
 * Input validation with the routes' published zod schemas, and the one place where a zod failure
 * becomes the API's error: a 400 `{"error", "code", "param"}` worded like the rest of the API
 * (zod's default messages — "Invalid input: expected string" — never reach a client). A schema may
 * still word a failure itself (`error:` on the schema or check); a custom check may carry the answer's
 * status and code in its `params` (e.g. a 413 `text_too_long`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import { HttpError, clip } from '../errors';

/**
 * The schemas a request was validated with, kept per request by api/openapi/route.ts so a route
 * mounted with its spec can be held to it (it must have parsed its body with the spec's schema).
 */
export const validatedWith = new AsyncLocalStorage<Set<z.ZodType>>();

/** What a custom check's `params` may say about its answer. */
export interface IssueAnswer {
  status?: number;
  code?: string;
  /** `true`: the error map words it "`name` is empty." */
  blank?: boolean;
  [extra: string]: unknown;
}

type RawIssue = z.core.$ZodRawIssue;

/** `texts[1]` for path ['texts', 1]; `body` for the body itself. */
export const paramName = (path: readonly PropertyKey[]) =>
  path.length ? path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('') : 'body';

const KIND: Record<string, string> = { string: 'a string', number: 'a number', int: 'a whole number', boolean: 'a boolean', array: 'a list', object: 'an object', file: 'a file' };

const shown = (v: unknown) => (typeof v === 'string' ? `'${clip(v)}'` : v === null || v === undefined ? 'nothing' : `a ${Array.isArray(v) ? 'list' : typeof v}`);

/** The API's wording of each kind of zod issue (lower precedence than a message a schema gives itself). */
export const apiErrorMap: z.core.$ZodErrorMap = (iss: RawIssue) => {
  const path = iss.path ?? [];
  const name = `\`${paramName(path)}\``;
  const missing = iss.input === undefined || iss.input === null;
  if (path.length === 0 && iss.code === 'invalid_type') {
    return missing ? 'Send a JSON object with the fields this route documents (GET /openapi.json).' : 'The request body must be a JSON object.';
  }
  switch (iss.code) {
    case 'invalid_type':
      return missing ? `${name} is required.` : `${name} must be ${KIND[iss.expected] ?? iss.expected}.`;
    case 'invalid_value':
      if (missing) return `${name} is required. Valid values: ${iss.values.join(', ')}.`;
      return `Unknown ${paramName(path)} ${shown(iss.input)}. Valid values: ${iss.values.join(', ')}.`;
    case 'too_small':
      if (iss.origin === 'string' && Number(iss.minimum) === 1) return `${name} is empty.`;
      if (iss.origin === 'array' && Number(iss.minimum) === 1) return `${name} is empty: send at least one item.`;
      return `${name} must be at least ${iss.minimum}${iss.origin === 'string' ? ' characters long' : iss.origin === 'array' ? ' items' : ''}.`;
    case 'too_big':
      return `${name} must be at most ${iss.maximum}${iss.origin === 'string' ? ' characters long' : iss.origin === 'array' ? ' items' : ''}.`;
    case 'invalid_format':
      return `${name} is not a valid ${iss.format === 'regex' ? 'value' : iss.format}.`;
    case 'unrecognized_keys':
      return `Unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `\`${clip(k, 40)}\``).join(', ')}.`;
    case 'custom':
      if ((iss.params as IssueAnswer | undefined)?.blank) return `${name} is empty.`;
      return `${name} is not valid.`;
    default:
      return `${name} is not valid.`;
  }
};

/** The first issue as the API's error (status, code and extras from a custom check's params). */
export function issueError(error: z.ZodError): HttpError {
  const issue = error.issues[0] as z.core.$ZodIssue & { input?: unknown };
  const param = issue.path.length ? String(issue.path[0]) : undefined;
  const missing = issue.input === undefined || issue.input === null;
  const { status = 400, code, blank: _blank, ...extra } = (issue.code === 'custom' ? issue.params : undefined) ?? ({} as IssueAnswer);
  const generic = param === undefined ? (missing ? 'missing_body' : 'invalid_body') : missing && (issue.code === 'invalid_type' || issue.code === 'invalid_value') ? 'missing_parameter' : 'invalid_parameter';
  return new HttpError(status, issue.message, {
    code: code ?? generic,
    ...(param !== undefined ? { param } : {}),
    ...(issue.code === 'invalid_value' ? { valid: issue.values } : {}),
    ...extra,
  });
}

/** Parses `input` with `schema` or throws the API's error for its first problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  validatedWith.getStore()?.add(schema);
  const parsed = schema.safeParse(input, { error: apiErrorMap, reportInput: true });
  if (!parsed.success) throw issueError(parsed.error);
  return parsed.data;
}

/** A check a refinement reports: `at` is the field it names, `answer` the status/code of the reply. */
export function report(ctx: z.core.$RefinementCtx, message: string, at: PropertyKey[], answer: IssueAnswer = {}): void {
  ctx.addIssue({ code: 'custom', message, path: at, params: answer, input: undefined });
}

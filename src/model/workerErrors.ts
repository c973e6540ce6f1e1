/**
 * Errors across a worker-thread boundary: structured cloning keeps only an Error's message (and
 * not its class, code or fields), so a worker sends {@link SerializedError} and the main thread
 * rebuilds an error of the same class with the same fields ({@link deserializeError}).
 *
 * @module
 */
import * as baseErrors from '../errors';
import { CmxrfError } from '../errors';
import * as modelErrors from './errors';

/** An error as a worker posts it. */
export interface SerializedError {
  /** The class name (`ProfileNotRepresentableError`, …). */
  name: string;
  message: string;
  /** `CmxrfError.code`, when the error is one. */
  code?: string;
  /** Own enumerable fields (numbers, strings, plain data), without `stack` and `cause`. */
  fields: Record<string, unknown>;
  /** The stack in the worker. */
  stack?: string;
}

/** The library's error classes by name. */
const CLASSES = new Map<string, { prototype: object }>();
for (const v of [...Object.values(baseErrors), ...Object.values(modelErrors)] as unknown[])
  if (typeof v === 'function' && (v === CmxrfError || v.prototype instanceof CmxrfError))
    CLASSES.set(v.name, v as { prototype: object });

/** Plain-data copy of an error (any thrown value) for `postMessage`. */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'stack' || k === 'cause' || k === 'name' || k === 'message' || k === 'code') continue;
    if (typeof v === 'function' || typeof v === 'symbol') continue;
    fields[k] = v;
  }
  const code = (e as { code?: unknown }).code;
  return {
    name: e.name,
    message: e.message,
    code: typeof code === 'string' ? code : undefined,
    fields,
    stack: e.stack,
  };
}

/**
 * The error a worker serialised, rebuilt as an instance of the same library class (`instanceof`
 * holds; its constructor is not run again, the fields are copied), else as a `CmxrfError` with
 * the same code (`MODEL_ERROR` when it had none), with the worker's stack (else one line naming
 * `where`).
 */
export function deserializeError(s: SerializedError, where: string): Error {
  const cls = CLASSES.get(s.name);
  // A native error (as the original, for util.types.isNativeError), given the class's prototype.
  const e = new Error(s.message) as Error & Record<string, unknown>;
  Object.setPrototypeOf(e, (cls ?? CmxrfError).prototype);
  Object.assign(e, s.fields);
  e.name = cls ? s.name : 'CmxrfError';
  e.code = s.code ?? 'MODEL_ERROR';
  if (!cls && s.name !== 'CmxrfError')
    Object.defineProperty(e, 'message', {
      value: `${s.name}: ${s.message}`,
      writable: true,
      configurable: true,
    });
  Object.defineProperty(e, 'stack', {
    value: s.stack ?? `${e.name}: ${e.message}\n    at ${where}`,
    writable: true,
    configurable: true,
  });
  return e;
}

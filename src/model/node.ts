/**
 * Node-only loading of models from disk with `onnxruntime-node`, and the convenience
 * {@link quantify} with the shipped default model (`models/cmxrf-default.onnx` + `.json`).
 * `node:fs`, `node:crypto` and `onnxruntime-node` are imported dynamically, so browser bundles
 * that use only `createQuantifier` do not pull them in.
 *
 * @module
 */
import { CmxrfError, InvalidArgumentError, describeValue } from '../errors';
import type { DepthProfile } from '../profile';
import { parseModelCard } from './card';
import { ModelNotAvailableError } from './errors';
import { withWorkers } from './pool';
import {
  type CreateQuantifierOptions,
  type Quantifier,
  type QuantifyOptions,
  createQuantifier,
} from './quantifier';
import type { QuantificationResult } from './result';
import type { OrtLike } from './runtime';
import { assertSha256 } from './sha256';

/** File name (without extension) of the default model in the package's `models/` folder. */
export const DEFAULT_MODEL_NAME = 'cmxrf-default';

/** Options of {@link loadQuantifier}. */
export interface LoadQuantifierOptions extends Omit<
  CreateQuantifierOptions,
  'runtime' | 'model' | 'card' | 'verifySha256'
> {
  /** ONNX runtime module. @default `await import('onnxruntime-node')` */
  runtime?: OrtLike;
  /**
   * Worker threads for batches: with n ≥ 1, `quantify` and `quantifySettled` of two or more
   * profiles are quantified in parts of up to 16 profiles by n workers, each with its own
   * onnxruntime-node session (preprocessing and network of different parts on different cores;
   * same results). Each worker's session gets `sessionOptions`, with `intraOpNumThreads`
   * defaulting to ⌊cores / n⌋ (at least 1). Single profiles, `preprocess` and `runNormalized` stay
   * on the calling thread. Not with `runtime`. The workers stop with
   * `release()`; idle ones do not keep the process alive. 0: none. @default 0
   */
  workers?: number;
}

/**
 * `import(specifier)` with a specifier that bundlers do not resolve, so a browser bundle of
 * `cmxrf/model` neither pulls in nor chokes on `node:*` built-ins and onnxruntime-node.
 */
function importAtRunTime<T>(specifier: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

type Fs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');
type Crypto = typeof import('node:crypto');
type Url = typeof import('node:url');
type Os = typeof import('node:os');

/** `onnxruntime-node`, imported at run time. @throws {ModelNotAvailableError} when it is not installed. */
export async function loadOnnxRuntimeNode(): Promise<OrtLike> {
  const name = 'onnxruntime-node';
  try {
    const m = await importAtRunTime<OrtLike & { default?: OrtLike }>(name);
    return typeof m.InferenceSession?.create === 'function' ? m : (m.default as OrtLike);
  } catch (e) {
    throw new ModelNotAvailableError(
      name,
      'The ONNX runtime for Node is not installed: run `npm install onnxruntime-node`, or pass ' +
        "another runtime (e.g. runtime: await import('onnxruntime-web')).",
      { cause: e },
    );
  }
}

/**
 * Loads a model from disk: `path` is its card (`.json`, the ONNX file is `card.onnx.file` next
 * to it) or its `.onnx` file (the card is the `.json` of the same name). The ONNX bytes are
 * checked against the card's SHA-256 (`node:crypto`) before the session is created.
 *
 * @throws {ModelNotAvailableError} when a file or onnxruntime-node is missing.
 * @throws {ModelCardError} for an invalid card. @throws {ModelIntegrityError} on a SHA-256
 *   mismatch.
 * @example
 * ```ts
 * const q = await loadQuantifier('models/cmxrf-default.json');
 * ```
 */
export async function loadQuantifier(
  path: string,
  options: LoadQuantifierOptions = {},
): Promise<Quantifier> {
  const [{ readFile }, nodePath, { createHash }] = await Promise.all([
    importAtRunTime<Fs>('node:fs/promises'),
    importAtRunTime<NodePath>('node:path'),
    importAtRunTime<Crypto>('node:crypto'),
  ]);
  const cardPath = path.endsWith('.onnx') ? path.slice(0, -'.onnx'.length) + '.json' : path;
  const read = async (p: string, what: string): Promise<Buffer> => {
    try {
      return await readFile(p);
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new ModelNotAvailableError(
        p,
        code === 'ENOENT'
          ? `${p}: the ${what} does not exist.`
          : `${p}: cannot read the ${what}: ${String(e)}`,
        { cause: e },
      );
    }
  };
  const cardText = (await read(cardPath, 'model card')).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(cardText);
  } catch (e) {
    throw new CmxrfError(
      'MODEL_ERROR',
      `${cardPath}: the model card is not valid JSON: ${String(e)}`,
      { cause: e },
    );
  }
  const card = parseModelCard(json);
  const onnxPath = nodePath.resolve(nodePath.dirname(cardPath), card.onnx.file);
  const bytes = await read(onnxPath, 'ONNX model');
  assertSha256(onnxPath, card.onnx.sha256, createHash('sha256').update(bytes).digest('hex'));
  const { workers = 0, ...rest } = options;
  if (!Number.isInteger(workers) || workers < 0 || workers > 256)
    throw new InvalidArgumentError(
      `workers must be an integer from 0 to 256. Value: \`${describeValue(workers)}\`.`,
    );
  if (workers > 0 && options.runtime)
    throw new InvalidArgumentError(
      'workers: each worker thread runs its own onnxruntime-node session; pass either workers or runtime.',
    );
  const runtime = options.runtime ?? (await loadOnnxRuntimeNode());
  const model = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = await createQuantifier({ ...rest, runtime, model, card, verifySha256: false });
  if (workers === 0) return base;
  const { availableParallelism } = await importAtRunTime<Os>('node:os');
  try {
    return await withWorkers(base, workers, {
      model,
      card: json,
      threshold: options.threshold,
      batchSize: options.batchSize,
      sessionOptions: {
        intraOpNumThreads: Math.max(1, Math.floor(availableParallelism() / workers)),
        ...options.sessionOptions,
      },
    });
  } catch (e) {
    await base.release();
    throw e;
  }
}

/** Directory of this module's file (ESM or CJS build, or the TypeScript source under tsx). */
async function moduleDir(): Promise<string> {
  const { dirname } = await importAtRunTime<NodePath>('node:path');
  if (typeof __filename === 'string') return dirname(__filename);
  const { fileURLToPath } = await importAtRunTime<Url>('node:url');
  return dirname(fileURLToPath(import.meta.url));
}

/**
 * Path of the default model card: the `models/` folder of the cmxrf package, found by walking up
 * from this module to the `package.json` named `cmxrf`.
 * @example
 * ```ts
 * await defaultModelCardPath(); // '…/node_modules/cmxrf/models/cmxrf-default.json'
 * ```
 */
export async function defaultModelCardPath(): Promise<string> {
  const [{ readFile }, { dirname, join }] = await Promise.all([
    importAtRunTime<Fs>('node:fs/promises'),
    importAtRunTime<NodePath>('node:path'),
  ]);
  let dir = await moduleDir();
  for (;;) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
      };
      if (pkg.name === 'cmxrf') return join(dir, 'models', `${DEFAULT_MODEL_NAME}.json`);
    } catch {
      // no package.json here: go up
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new ModelNotAvailableError(
    'models/',
    'Cannot locate the cmxrf package folder (and its models/).',
  );
}

let defaultQuantifier: Promise<Quantifier> | undefined;

/**
 * Loads (once per process) the shipped default model with onnxruntime-node.
 *
 * @throws {ModelNotAvailableError} when this cmxrf build ships no default model (or
 *   onnxruntime-node is not installed). @throws {ModelIntegrityError} when the ONNX file does not
 *   match its card.
 * @example
 * ```ts
 * const q = await loadDefaultQuantifier(); // models/cmxrf-default.onnx via onnxruntime-node
 * const r = await q.quantify(profile);
 * ```
 */
export function loadDefaultQuantifier(): Promise<Quantifier> {
  defaultQuantifier ??= (async () => {
    const cardPath = await defaultModelCardPath();
    try {
      return await loadQuantifier(cardPath);
    } catch (e) {
      if (e instanceof ModelNotAvailableError && e.path !== 'onnxruntime-node') {
        throw new ModelNotAvailableError(
          e.path,
          `The default cmxrf model is not available: ${e.message} This cmxrf build ships no ` +
            `trained default model (models/${DEFAULT_MODEL_NAME}.onnx and .json) yet. Load a ` +
            'model explicitly with loadQuantifier(cardPath) or createQuantifier({ runtime, model, card }).',
          { cause: e },
        );
      }
      throw e;
    }
  })();
  defaultQuantifier.catch(() => {
    defaultQuantifier = undefined;
  });
  return defaultQuantifier;
}

/**
 * Quantifies depth profiles with the shipped default model (Node; onnxruntime-node).
 *
 * @throws {ModelNotAvailableError} when no default model is shipped (see
 *   {@link loadDefaultQuantifier}). @throws {ProfileNotRepresentableError} for a profile the
 *   model cannot represent.
 * @example
 * ```ts
 * const r = await quantify(parseDepthProfileAuto(text, { fileName: 'scan.csv' }));
 * r.elements.filter((e) => e.detected);
 * ```
 */
export async function quantify(
  profile: DepthProfile,
  options?: QuantifyOptions,
): Promise<QuantificationResult>;
export async function quantify(
  profiles: readonly DepthProfile[],
  options?: QuantifyOptions,
): Promise<QuantificationResult[]>;
export async function quantify(
  arg: DepthProfile | readonly DepthProfile[],
  options?: QuantifyOptions,
): Promise<QuantificationResult | QuantificationResult[]> {
  const q = await loadDefaultQuantifier();
  return Array.isArray(arg)
    ? q.quantify(arg as readonly DepthProfile[], options)
    : q.quantify(arg as DepthProfile, options);
}

/**
 * `createQuantifier`: the network behind a runtime-agnostic API. The host passes its ONNX runtime
 * module (`onnxruntime-node`, `onnxruntime-web`, …), the ONNX bytes and the model card.
 *
 * @module
 */
import { InvalidArgumentError, describeValue } from '../errors';
import type { DepthProfile } from '../profile';
import { type ModelCard, MODEL_OUTPUTS, modelId, parseModelCard } from './card';
import { ModelRuntimeError } from './errors';
import { Preprocessor } from './preprocess';
import { type QuantificationResult, type RawModelOutputs, decodeResult } from './result';
import type { OrtLike, OrtSessionLike, OrtTensorLike } from './runtime';
import { assertSha256, sha256HexWebCrypto } from './sha256';

/** Progress of a `quantify` call, reported after each batch. */
export type QuantifyProgress =
  | { status: 'batch'; profilesDone: number; profilesTotal: number }
  | { status: 'done'; profilesTotal: number };

/** Per-call options of {@link Quantifier.quantify}. */
export interface QuantifyOptions {
  /** Detection threshold on the presence probability (0..1). @default the quantifier's */
  threshold?: number;
  /** Profiles per inference call. @default the quantifier's */
  batchSize?: number;
  /** Called after each batch and once at the end. */
  onProgress?: (p: QuantifyProgress) => void;
}

/** Options of {@link createQuantifier}. */
export interface CreateQuantifierOptions {
  /** The host's ONNX runtime module, e.g. `await import('onnxruntime-node')`. */
  runtime: OrtLike;
  /** Bytes of the ONNX model. */
  model: Uint8Array;
  /** The model card: parsed JSON (validated here) or a card from `parseModelCard`. */
  card: unknown;
  /**
   * Default detection threshold on the presence probability (0..1).
   * @default the card's `presenceProbabilityThreshold`, else 0.5
   */
  threshold?: number;
  /** Default number of profiles per inference call. @default 64 */
  batchSize?: number;
  /**
   * Check the SHA-256 of `model` against `card.onnx.sha256` (with `crypto.subtle`) before
   * creating the session. @default true
   */
  verifySha256?: boolean;
  /** Passed to `InferenceSession.create` unchanged (execution providers, threads …). */
  sessionOptions?: Record<string, unknown>;
}

/** A loaded model, ready to quantify depth profiles. */
export interface Quantifier {
  /** The validated model card. */
  readonly card: ModelCard;
  /** `<card name>@<first 12 hex digits of the ONNX SHA-256>`. */
  readonly modelId: string;
  /**
   * Quantifies one profile, or many (batched internally, results in input order).
   * @throws {ProfileNotRepresentableError} for a profile the model cannot represent (thrown
   *   while its batch is assembled, before that batch is run).
   * @throws {ModelRuntimeError} when the runtime fails.
   */
  quantify(profile: DepthProfile, options?: QuantifyOptions): Promise<QuantificationResult>;
  quantify(
    profiles: readonly DepthProfile[],
    options?: QuantifyOptions,
  ): Promise<QuantificationResult[]>;
  /** Normalised model input of one profile (`[nDepth][nChannels]`, float32). */
  preprocess(profile: DepthProfile): Float32Array;
  /** Runs the network on already-normalised inputs `[batch][nDepth][nChannels]`. */
  runNormalized(input: Float32Array, batch: number): Promise<RawModelOutputs>;
  /** Frees the session. */
  release(): Promise<void>;
}

const checkThreshold = (t: number): number => {
  if (typeof t !== 'number' || !(t >= 0 && t <= 1))
    throw new InvalidArgumentError(
      `threshold must be a number in [0, 1]. Value: \`${describeValue(t)}\`.`,
    );
  return t;
};
const checkBatch = (b: number): number => {
  if (!Number.isInteger(b) || b < 1)
    throw new InvalidArgumentError(
      `batchSize must be a positive integer. Value: \`${describeValue(b)}\`.`,
    );
  return b;
};

function floatData(
  name: string,
  t: OrtTensorLike | undefined,
  rows: number,
  cols: number,
): Float32Array {
  if (!t) throw new ModelRuntimeError(`The model returned no output "${name}".`);
  const d = t.data;
  if (
    t.type !== 'float32' ||
    Object.prototype.toString.call(d) !== '[object Float32Array]' ||
    (d as Float32Array).length !== rows * cols
  )
    throw new ModelRuntimeError(
      `Output "${name}" must be float32 [${rows}, ${cols}]. Value: \`${t.type} [${t.dims.join(', ')}]\`.`,
    );
  return d as Float32Array;
}

/**
 * Creates a quantifier from an ONNX runtime, the model bytes and its card: validates the card,
 * verifies the SHA-256, creates the session and checks its input/output names against the card.
 *
 * @throws {ModelCardError} for an invalid card.
 * @throws {ModelIntegrityError} when the bytes do not match `card.onnx.sha256`.
 * @throws {ModelRuntimeError} when the runtime cannot create the session or the graph's
 *   names differ from the card.
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-node';
 * const q = await createQuantifier({ runtime: ort, model: onnxBytes, card: JSON.parse(cardText) });
 * const r = await q.quantify(profile);
 * r.elements.filter((e) => e.detected).map((e) => [e.element, e.massFraction]);
 * ```
 */
export async function createQuantifier(options: CreateQuantifierOptions): Promise<Quantifier> {
  const { runtime, model } = options;
  if (
    !runtime ||
    typeof runtime.Tensor !== 'function' ||
    typeof runtime.InferenceSession?.create !== 'function'
  )
    throw new InvalidArgumentError(
      'runtime must be an ONNX runtime module with Tensor and InferenceSession.create ' +
        "(e.g. await import('onnxruntime-node')). Value: `" +
        describeValue(typeof runtime) +
        '`.',
    );
  if (!(model instanceof Uint8Array))
    throw new InvalidArgumentError(
      `model must be the ONNX bytes as a Uint8Array. Value: \`${describeValue(typeof model)}\`.`,
    );
  const card = parseModelCard(options.card);
  const defaultThreshold = checkThreshold(
    options.threshold ?? card.presenceProbabilityThreshold ?? 0.5,
  );
  const defaultBatch = checkBatch(options.batchSize ?? 64);
  if (options.verifySha256 ?? true)
    assertSha256(card.onnx.file, card.onnx.sha256, await sha256HexWebCrypto(model));

  let session: OrtSessionLike;
  try {
    session = await runtime.InferenceSession.create(model, options.sessionOptions);
  } catch (e) {
    throw new ModelRuntimeError(
      `${card.onnx.file}: the ONNX runtime could not load the model: ${String(e)}`,
      { cause: e },
    );
  }
  const missing = [
    ...(session.inputNames.includes(card.input.name) ? [] : [`input "${card.input.name}"`]),
    ...Object.keys(MODEL_OUTPUTS)
      .filter((n) => !session.outputNames.includes(n))
      .map((n) => `output "${n}"`),
  ];
  if (missing.length > 0)
    throw new ModelRuntimeError(
      `${card.onnx.file}: the ONNX graph lacks ${missing.join(', ')} named by the model card ` +
        `(graph inputs ${JSON.stringify(session.inputNames)}, outputs ${JSON.stringify(session.outputNames)}).`,
    );

  const id = modelId(card);
  const pre = new Preprocessor(card);
  const { nDepth, nChannels } = card.input.grid;
  const perProfile = nDepth * nChannels;
  const ne = card.elements.length;

  async function runNormalized(input: Float32Array, batch: number): Promise<RawModelOutputs> {
    checkBatch(batch);
    if (!(input instanceof Float32Array) || input.length !== batch * perProfile)
      throw new InvalidArgumentError(
        `input must be a Float32Array of batch · ${nDepth} · ${nChannels} = ${batch * perProfile} values. ` +
          `Value: \`${describeValue(input?.length)}\`.`,
      );
    let out: Record<string, OrtTensorLike>;
    try {
      const feeds = {
        [card.input.name]: new runtime.Tensor('float32', input, [batch, nDepth, nChannels]),
      };
      out = await session.run(feeds);
    } catch (e) {
      throw new ModelRuntimeError(`${card.onnx.file}: inference failed: ${String(e)}`, {
        cause: e,
      });
    }
    return {
      batch,
      presenceLogit: floatData('presence_logit', out.presence_logit, batch, ne),
      log10MassFraction: floatData('log10_mass_fraction', out.log10_mass_fraction, batch, ne),
      densityGPerCm3: floatData('density_g_per_cm3', out.density_g_per_cm3, batch, 1),
      surfaceUm: floatData('surface_um', out.surface_um, batch, 1),
      setup: floatData('setup', out.setup, batch, 6),
    };
  }

  async function quantifyMany(
    profiles: readonly DepthProfile[],
    o: QuantifyOptions,
  ): Promise<QuantificationResult[]> {
    const threshold = checkThreshold(o.threshold ?? defaultThreshold);
    const batchSize = checkBatch(o.batchSize ?? defaultBatch);
    const n = profiles.length;
    const results: QuantificationResult[] = new Array(n);
    let buffer = new Float32Array(Math.min(batchSize, n) * perProfile);
    for (let start = 0; start < n; start += batchSize) {
      const b = Math.min(batchSize, n - start);
      if (buffer.length !== b * perProfile) buffer = new Float32Array(b * perProfile);
      for (let i = 0; i < b; i++)
        pre.run(profiles[start + i], {
          out: buffer,
          outOffset: i * perProfile,
          profileIndex: start + i,
        });
      const raw = await runNormalized(buffer, b);
      for (let i = 0; i < b; i++) {
        const p = profiles[start + i];
        results[start + i] = decodeResult(raw, i, card.elements, {
          modelId: id,
          threshold,
          source: p.source,
          firstDepthUm: p.depthsUm[0],
        });
      }
      o.onProgress?.({ status: 'batch', profilesDone: start + b, profilesTotal: n });
    }
    o.onProgress?.({ status: 'done', profilesTotal: n });
    return results;
  }

  function quantify(profile: DepthProfile, o?: QuantifyOptions): Promise<QuantificationResult>;
  function quantify(
    profiles: readonly DepthProfile[],
    o?: QuantifyOptions,
  ): Promise<QuantificationResult[]>;
  async function quantify(
    arg: DepthProfile | readonly DepthProfile[],
    o: QuantifyOptions = {},
  ): Promise<QuantificationResult | QuantificationResult[]> {
    if (Array.isArray(arg)) return quantifyMany(arg, o);
    if (typeof arg !== 'object' || arg === null)
      throw new InvalidArgumentError(
        `quantify expects a DepthProfile or an array of them. Value: \`${describeValue(arg)}\`.`,
      );
    return (await quantifyMany([arg as DepthProfile], o))[0];
  }

  return {
    card,
    modelId: id,
    quantify,
    preprocess: (profile) => pre.run(profile),
    runNormalized,
    release: async () => {
      await session.release?.();
    },
  };
}

/**
 * `createQuantifier`: the network behind a runtime-agnostic API. The host passes its ONNX runtime
 * module (`onnxruntime-node`, `onnxruntime-web`, …), the ONNX bytes and the model card.
 *
 * @module
 */
import { CmxrfError, InvalidArgumentError, describeValue } from '../errors';
import type { DepthProfile } from '../profile';
import { type ModelCard, MODEL_OUTPUTS, modelId, parseModelCard } from './card';
import type { IntensityConvention } from './depthResample';
import { ModelRuntimeError } from './errors';
import { type QuantifyWarning, TRAINING_DENSITY_G_PER_CM3, TRAINING_SETUP_RANGES } from './guards';
import { instrumentGuards } from './instrumentGuards';
import {
  type IntensityNormalization,
  type IntensityNormalizationOptions,
  annotateEffectiveLiveTimes,
  checkIntensityScale,
  intensityNormalization,
  normalizedExposureProfile,
} from './intensityScale';
import { HINT_LEAD_UM, type PreprocessReport, Preprocessor } from './preprocess';
import { chooseModelWindow } from './scan';
import { type QuantificationResult, type RawModelOutputs, decodeResult } from './result';
import type { OrtLike, OrtSessionLike, OrtTensorLike } from './runtime';
import { assertSha256, sha256HexWebCrypto } from './sha256';

/** Progress of a `quantify` call, reported after each batch. */
export type QuantifyProgress =
  | { status: 'batch'; profilesDone: number; profilesTotal: number }
  | { status: 'done'; profilesTotal: number };

/**
 * Per-call options of {@link Quantifier.quantify}; the intensity options (`intensityScale`,
 * `tubeCurrentNormalization`) scale the measured rates onto the model's instrument.
 */
export interface QuantifyOptions extends IntensityNormalizationOptions {
  /** Detection threshold on the presence probability (0..1). @default the quantifier's */
  threshold?: number;
  /** Profiles per inference call. @default the quantifier's */
  batchSize?: number;
  /** Called after each batch and once at the end. */
  onProgress?: (p: QuantifyProgress) => void;
  /**
   * How the counts of a scan position scale with the scan step (docs/quantify.md, "Intensity
   * convention"): `'per-step'` (the counts of a step grow with its length, as the library's
   * transform writes them) or `'per-position'` (a rate per position, whatever the step).
   * @default 'per-step'
   */
  intensityConvention?: IntensityConvention;
  /** Largest accepted number of scan positions per profile. @default 4096 */
  maxSteps?: number;
  /**
   * Index of the first profile in the errors' `profileIndex` and messages ("profile #i"), for a
   * caller that quantifies a long list in parts. @default 0
   */
  firstProfileIndex?: number;
}

/** Outcome of one profile in {@link Quantifier.quantifySettled}, like `Promise.allSettled`. */
export type QuantifySettledResult =
  { status: 'fulfilled'; value: QuantificationResult } | { status: 'rejected'; reason: CmxrfError };

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
   * Quantifies one profile, or many (batched internally, results in input order). The input
   * buffer of a batch (`batchSize · nDepth · nChannels` float32) is kept for the next call
   * until {@link Quantifier.release}.
   * @throws {ProfileNotRepresentableError} for a profile the model cannot represent (thrown
   *   while its batch is assembled, before that batch is run).
   * @throws {ModelRuntimeError} when the runtime fails.
   */
  quantify(profile: DepthProfile, options?: QuantifyOptions): Promise<QuantificationResult>;
  quantify(
    profiles: readonly DepthProfile[],
    options?: QuantifyOptions,
  ): Promise<QuantificationResult[]>;
  /**
   * Quantifies many profiles and reports each one's outcome: a result, or the typed error that
   * kept it from the model (the other profiles are quantified all the same).
   * @throws {ModelRuntimeError} when the runtime fails.
   */
  quantifySettled(
    profiles: readonly DepthProfile[],
    options?: QuantifyOptions,
  ): Promise<QuantifySettledResult[]>;
  /**
   * Normalised model input of one profile (`[nDepth][nChannels]`, float32). For a depth-mask
   * model and a scan that ends inside the window, the rows past its end are 0 (the mask is
   * ones for the measured steps, see `window.measuredSteps` of a result).
   */
  preprocess(profile: DepthProfile): Float32Array;
  /**
   * Runs the network on already-normalised inputs `[batch][nDepth][nChannels]`. For a model
   * whose card declares `input.depthMask`, `depthMask` (`[batch][nDepth]`, 1 for a measured
   * step, 0 for a step past the end of the scan, only trailing zeros) is fed as that input; it
   * defaults to all ones (every step measured). A model without a depth mask accepts only an
   * all-ones mask, or none.
   * @throws {InvalidArgumentError} for inputs or masks of the wrong length or values.
   */
  runNormalized(
    input: Float32Array,
    batch: number,
    depthMask?: Float32Array,
  ): Promise<RawModelOutputs>;
  /** Frees the session and the input buffer kept from the last `quantify` call. */
  release(): Promise<void>;
}

/**
 * Profiles per network run in the first pass of a batch of at least twice as many: with a
 * runtime off the JavaScript thread, the network runs on one chunk while the next is
 * preprocessed.
 */
const PIPELINE_CHUNK = 16;

/** The results of `quantifySettled` outcomes, as `quantify` returns them. @throws the first rejection. */
export function settledValues(settled: readonly QuantifySettledResult[]): QuantificationResult[] {
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
}

/** @throws {InvalidArgumentError} unless `profiles` is an array (of `quantifySettled`). */
export function assertProfileArray(profiles: unknown): asserts profiles is readonly DepthProfile[] {
  if (!Array.isArray(profiles))
    throw new InvalidArgumentError(
      `quantifySettled expects an array of DepthProfiles. Value: \`${describeValue(profiles)}\`.`,
    );
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
  const maskSpec = card.input.depthMask;
  const declared = [card.input.name, ...(maskSpec ? [maskSpec.name] : [])];
  const missing = [
    ...declared.filter((n) => !session.inputNames.includes(n)).map((n) => `input "${n}"`),
    ...Object.keys(MODEL_OUTPUTS)
      .filter((n) => !session.outputNames.includes(n))
      .map((n) => `output "${n}"`),
  ];
  if (missing.length > 0)
    throw new ModelRuntimeError(
      `${card.onnx.file}: the ONNX graph lacks ${missing.join(', ')} named by the model card ` +
        `(graph inputs ${JSON.stringify(session.inputNames)}, outputs ${JSON.stringify(session.outputNames)}).`,
    );
  const undeclared = session.inputNames.filter((n) => !declared.includes(n));
  if (undeclared.length > 0)
    throw new ModelRuntimeError(
      `${card.onnx.file}: the ONNX graph needs input(s) ${undeclared.map((n) => `"${n}"`).join(', ')} ` +
        `that the model card does not declare (card inputs ${JSON.stringify(declared)}; a depth ` +
        'mask is declared as input.depthMask).',
    );

  const id = modelId(card);
  const pre = new Preprocessor(card);
  let released = false;
  const { nDepth, nChannels } = card.input.grid;
  const perProfile = nDepth * nChannels;
  const ne = card.elements.length;
  // Input and mask buffers of the last call, reused by the next one (a batch of 64 profiles
  // is a 10 MiB input, zeroed afresh on every allocation); a call that finds them taken by a
  // call still awaiting the network allocates its own.
  let spare: { input: Float32Array; mask: Float32Array } | undefined;
  const takeBuffers = (cap: number): { input: Float32Array; mask: Float32Array } => {
    const s = spare;
    spare = undefined;
    if (s && s.input.length >= cap * perProfile && s.mask.length >= cap * nDepth) return s;
    return { input: new Float32Array(cap * perProfile), mask: new Float32Array(cap * nDepth) };
  };

  async function runNormalized(
    input: Float32Array,
    batch: number,
    depthMask?: Float32Array,
  ): Promise<RawModelOutputs> {
    checkBatch(batch);
    if (!(input instanceof Float32Array) || input.length !== batch * perProfile)
      throw new InvalidArgumentError(
        `input must be a Float32Array of batch · ${nDepth} · ${nChannels} = ${batch * perProfile} values. ` +
          `Value: \`${describeValue(input?.length)}\`.`,
      );
    if (depthMask !== undefined) checkDepthMask(depthMask, batch);
    let out: Record<string, OrtTensorLike>;
    try {
      const feeds: Record<string, OrtTensorLike> = {
        [card.input.name]: new runtime.Tensor('float32', input, [batch, nDepth, nChannels]),
      };
      if (maskSpec)
        feeds[maskSpec.name] = new runtime.Tensor(
          'float32',
          depthMask ?? new Float32Array(batch * nDepth).fill(1),
          [batch, nDepth],
        );
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

  /**
   * A depth mask: `batch · nDepth` values, each row ones then zeros, the first step measured.
   * A model without a depth mask takes only all-ones masks.
   */
  function checkDepthMask(mask: Float32Array, batch: number): void {
    const fail = (what: string, value: unknown): never => {
      throw new InvalidArgumentError(`depthMask ${what}. Value: \`${describeValue(value)}\`.`);
    };
    if (!(mask instanceof Float32Array) || mask.length !== batch * nDepth)
      fail(`must be a Float32Array of batch · ${nDepth} = ${batch * nDepth} values`, mask?.length);
    for (let b = 0; b < batch; b++) {
      const row = mask.subarray(b * nDepth, (b + 1) * nDepth);
      if (row[0] !== 1) fail(`row ${b} must start with a measured step (1)`, row[0]);
      for (let m = 1; m < nDepth; m++) {
        const v = row[m];
        if (v !== 0 && v !== 1) fail(`row ${b}, step ${m}: values must be 0 or 1`, v);
        if (v === 1 && row[m - 1] === 0)
          fail(`row ${b}: only trailing steps may be masked (0 before 1 at step ${m})`, v);
        if (v === 0 && !maskSpec)
          fail(
            `row ${b}, step ${m}: ${card.name} has no depth-mask input (model card ` +
              'input.depthMask), so every step must be measured',
            v,
          );
      }
    }
  }

  /**
   * Runs the network on the profiles whose reports are given, written to `buffer`; their depth
   * masks are written to `maskBuffer` from `window.measuredSteps`.
   */
  async function runAndDecode(
    buffer: Float32Array,
    maskBuffer: Float32Array,
    items: readonly { index: number; report: PreprocessReport }[],
    profiles: readonly DepthProfile[],
    threshold: number,
    convention: IntensityConvention,
    slot = 0,
  ): Promise<{ results: QuantificationResult[]; surfaceInWindowUm: Float32Array }> {
    const b = items.length;
    items.forEach(({ report }, i) => {
      const o = (slot + i) * nDepth;
      const measured = report.window.measuredSteps ?? nDepth;
      maskBuffer.fill(1, o, o + measured);
      maskBuffer.fill(0, o + measured, o + nDepth);
    });
    const raw = await runNormalized(
      buffer.subarray(slot * perProfile, (slot + b) * perProfile),
      b,
      maskSpec ? maskBuffer.subarray(slot * nDepth, (slot + b) * nDepth) : undefined,
    );
    const results = items.map(({ index, report }, i) =>
      decodeResult(raw, i, card.elements, {
        modelId: id,
        threshold,
        source: profiles[index].source,
        scan: report.scan,
        window: report.window,
        warnings: report.warnings,
        intensityConvention: convention,
      }),
    );
    return { results, surfaceInWindowUm: Float32Array.from(raw.surfaceUm) };
  }

  async function quantifySettled(
    profiles: readonly DepthProfile[],
    o: QuantifyOptions = {},
  ): Promise<QuantifySettledResult[]> {
    assertProfileArray(profiles);
    const threshold = checkThreshold(o.threshold ?? defaultThreshold);
    const batchSize = checkBatch(o.batchSize ?? defaultBatch);
    const convention = o.intensityConvention ?? 'per-step';
    checkIntensityScale(o.intensityScale ?? 1);
    const firstIndex = o.firstProfileIndex ?? 0;
    if (!Number.isSafeInteger(firstIndex) || firstIndex < 0)
      throw new InvalidArgumentError(
        `firstProfileIndex must be an integer ≥ 0. Value: \`${describeValue(firstIndex)}\`.`,
      );
    const n = profiles.length;
    const outcomes: QuantifySettledResult[] = new Array(n);
    const cap = Math.min(batchSize, Math.max(n, 1));
    const buffers = takeBuffers(cap);
    try {
      await quantifyBatches(profiles, o, buffers.input, buffers.mask, outcomes, {
        threshold,
        batchSize,
        convention,
        firstIndex,
      });
    } finally {
      // Kept unless the quantifier was released meanwhile. A runtime that detached the buffer
      // (length 0) leaves one that the next call replaces.
      if (!released) spare = buffers;
    }
    o.onProgress?.({ status: 'done', profilesTotal: n });
    return outcomes;
  }

  /** The batches of {@link quantifySettled}, written to `outcomes`. */
  async function quantifyBatches(
    profiles: readonly DepthProfile[],
    o: QuantifyOptions,
    inputBuffer: Float32Array,
    inputMaskBuffer: Float32Array,
    outcomes: QuantifySettledResult[],
    settings: {
      threshold: number;
      batchSize: number;
      convention: IntensityConvention;
      firstIndex: number;
    },
  ): Promise<void> {
    const { threshold, batchSize, convention, firstIndex } = settings;
    const n = profiles.length;
    const prepOptions = { intensityConvention: convention, maxSteps: o.maxSteps };
    // Tube current and intensity scale, as an effective live time of each profile.
    const norms: { normalization: IntensityNormalization; warnings: QuantifyWarning[] }[] = [];
    const inputs: DepthProfile[] = [];
    let buffer = inputBuffer;
    let maskBuffer = inputMaskBuffer;
    const capacity = inputBuffer.length;
    const maskCapacity = inputMaskBuffer.length;
    // A runtime may take (detach) the buffers a run was given; what comes next then goes to new
    // ones, at the same slots.
    const keepBuffers = (): void => {
      if (buffer.length === 0) buffer = new Float32Array(capacity);
      if (maskBuffer.length === 0) maskBuffer = new Float32Array(maskCapacity);
    };
    for (let start = 0; start < n; start += batchSize) {
      keepBuffers();
      const b = Math.min(batchSize, n - start);
      const items: { index: number; report: PreprocessReport }[] = [];
      // First pass in chunks: the network is started on one chunk, then the next chunk is
      // preprocessed into the following slots of the buffer; the two overlap with a runtime
      // that runs off the JavaScript thread (onnxruntime-node runs on it; for parallel batches
      // see loadQuantifier's workers). The network's outputs do not depend on the batch it runs
      // in, so the chunks give the results one run over the batch would.
      const chunk = b >= 2 * PIPELINE_CHUNK ? PIPELINE_CHUNK : b;
      const first = {
        results: [] as QuantificationResult[],
        surfaceInWindowUm: new Float32Array(b),
      };
      let inFlight: Promise<void> | undefined;
      let chunkStart = 0;
      const launch = async (from: number, to: number): Promise<void> => {
        const r = await runAndDecode(
          buffer,
          maskBuffer,
          items.slice(from, to),
          profiles,
          threshold,
          convention,
          from,
        );
        r.results.forEach((x, i) => (first.results[from + i] = x));
        first.surfaceInWindowUm.set(r.surfaceInWindowUm, from);
      };
      for (let i = 0; i < b; i++) {
        const index = start + i;
        try {
          norms[index] = intensityNormalization(card, profiles[index] ?? {}, o);
          inputs[index] = normalizedExposureProfile(
            profiles[index],
            norms[index].normalization.rateFactor,
          );
          const report = pre.prepare(inputs[index], {
            ...prepOptions,
            out: buffer,
            outOffset: items.length * perProfile,
            profileIndex: firstIndex + index,
          });
          items.push({ index, report });
        } catch (e) {
          if (!(e instanceof CmxrfError)) throw e;
          outcomes[index] = { status: 'rejected', reason: e };
        }
        if (items.length - chunkStart >= chunk || (i === b - 1 && items.length > chunkStart)) {
          // At most one run in flight: wait for the previous chunk, then start this one.
          if (inFlight) await inFlight;
          inFlight = launch(chunkStart, items.length);
          // Awaited below; this keeps a failing run from counting as unhandled meanwhile.
          inFlight.catch(() => undefined);
          keepBuffers();
          chunkStart = items.length;
        }
      }
      if (inFlight) await inFlight;
      keepBuffers();
      if (items.length > 0) {
        // Second pass: where the network puts the surface near the window's edge and the scan
        // lets the window move, place the window around the network's surface.
        const again: { index: number; report: PreprocessReport; at: number }[] = [];
        items.forEach(({ index, report }, i) => {
          const u = first.surfaceInWindowUm[i];
          if (u >= 10 && u <= 80) return;
          // Only a move that changes what the network sees is worth a second run.
          const hint = report.window.startUm + u;
          const { startUm: start } = chooseModelWindow(
            profiles[index].depthsUm,
            hint,
            card.input.grid,
            { leadUm: HINT_LEAD_UM, minSteps: maskSpec?.minSteps },
          );
          if (Math.abs(start - report.window.startUm) < 10) return;
          try {
            const next = pre.prepare(inputs[index], {
              ...prepOptions,
              out: buffer,
              outOffset: again.length * perProfile,
              profileIndex: firstIndex + index,
              surfaceHintUm: hint,
            });
            again.push({ index, report: next, at: i });
          } catch (e) {
            if (!(e instanceof CmxrfError)) throw e;
          }
        });
        if (again.length > 0) {
          const second = await runAndDecode(
            buffer,
            maskBuffer,
            again,
            profiles,
            threshold,
            convention,
          );
          again.forEach(({ at }, i) => {
            first.results[at] = second.results[i];
          });
        }
        items.forEach(({ index }, i) => {
          const r = first.results[i];
          outputGuards(r, { minMaterialUm: maskSpec?.minMaterialUm });
          const checked = instrumentGuards(card, profiles[index]);
          r.warnings.push(...checked.warnings);
          if (checked.instrument) r.modelInstrument = checked.instrument;
          const { normalization, warnings } = norms[index];
          annotateEffectiveLiveTimes(r.warnings, normalization);
          r.warnings.push(...warnings);
          if (normalization.rateFactor !== 1 || warnings.length > 0)
            r.intensityNormalization = normalization;
          outcomes[index] = { status: 'fulfilled', value: r };
        });
      }
      o.onProgress?.({ status: 'batch', profilesDone: start + b, profilesTotal: n });
    }
  }

  async function quantifyMany(
    profiles: readonly DepthProfile[],
    o: QuantifyOptions,
  ): Promise<QuantificationResult[]> {
    return settledValues(await quantifySettled(profiles, o));
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
    quantifySettled,
    preprocess: (profile) => pre.run(profile),
    runNormalized,
    release: async () => {
      spare = undefined;
      if (released) return;
      released = true;
      await session.release?.();
    },
  };
}

const fmtN = (v: number): string => String(+v.toPrecision(3));

/** Options of {@link outputGuards}. */
export interface OutputGuardOptions {
  /**
   * Measured scan (µm) a padded window must hold behind the network's surface: the depth-mask
   * model card's `input.depthMask.minMaterialUm`, which the model was trained with.
   * @default DEFAULT_MIN_MATERIAL_BEHIND_SURFACE_UM (25)
   */
  minMaterialUm?: number;
}

/**
 * Measured scan (µm) behind the surface that {@link outputGuards} asks of a padded window when
 * no card value is given: the `minMaterialUm` of the shipped depth-mask model.
 */
export const DEFAULT_MIN_MATERIAL_BEHIND_SURFACE_UM = 25;

/**
 * Guards on the network's answer (docs/quantify.md, "Guards"): the surface relative to the model
 * window, to the measured part of a padded window and to the scan's own edge, and density and
 * setup against their training ranges. Appends to `r.warnings`.
 * @example
 * ```ts
 * import { loadDefaultQuantifier, outputGuards } from 'cmxrf/model';
 * const r = await (await loadDefaultQuantifier()).quantify(profile);
 * const edited = { ...r, densityGPerCm3: 40, warnings: [] };
 * outputGuards(edited);
 * edited.warnings[0].code; // 'estimate-out-of-range'
 * ```
 */
export function outputGuards(r: QuantificationResult, options: OutputGuardOptions = {}): void {
  const w: QuantifyWarning[] = r.warnings;
  const u = r.surfaceUm - r.window.startUm;
  const trained = 0.5 * r.window.nSteps * r.window.stepUm;
  if (u < 5 || u > trained - 10)
    w.push({
      code: 'surface-near-window-edge',
      message: `the surface lies ${fmtN(u)} µm into the model window (${fmtN(r.window.startUm)}–${fmtN(r.window.endUm)} µm); the model was trained with it ${0}–${trained} µm into the window, and is least certain near those ends.`,
    });
  const beyond = surfaceBeyondMeasured(r, options.minMaterialUm);
  if (beyond) w.push(beyond);
  const d = r.surfaceUm - r.scan.surfaceEdgeUm;
  if (d < -10 || d > 35)
    w.push({
      code: 'surface-disagreement',
      message: `the network puts the surface at ${fmtN(r.surfaceUm)} µm, the rise of the count rate at ${fmtN(r.scan.surfaceEdgeUm)} µm (expected 0–20 µm in front of the surface): the profile does not look like a homogeneous thick sample.`,
    });
  const [dLo, dHi] = TRAINING_DENSITY_G_PER_CM3;
  const out: string[] = [];
  if (!(r.densityGPerCm3 >= dLo * 0.95 && r.densityGPerCm3 <= dHi * 1.05))
    out.push(`densityGPerCm3 ${fmtN(r.densityGPerCm3)} (trained ${dLo}–${dHi})`);
  for (const [k, [lo, hi]] of Object.entries(TRAINING_SETUP_RANGES)) {
    const v = r.setup[k as keyof typeof r.setup];
    const margin = 0.1 * (hi - lo);
    if (!(v >= lo - margin && v <= hi + margin)) out.push(`${k} ${fmtN(v)} (trained ${lo}–${hi})`);
  }
  if (out.length > 0)
    w.push({
      code: 'estimate-out-of-range',
      message: `estimates outside the training ranges: ${out.join(', ')}.`,
    });
}

/**
 * The `surface-beyond-measured` guard: in a padded window (`measuredSteps < nSteps`) the
 * network's surface must lie at least `minMaterialUm` in front of the last measured step, as
 * in training; otherwise the surface, and what the network says about the material behind it,
 * rest on the masked padding rather than on measured counts.
 */
function surfaceBeyondMeasured(
  r: QuantificationResult,
  minMaterialUm = DEFAULT_MIN_MATERIAL_BEHIND_SURFACE_UM,
): QuantifyWarning | undefined {
  const { startUm, stepUm, nSteps } = r.window;
  const measured = r.window.measuredSteps ?? nSteps;
  if (measured >= nSteps) return undefined;
  const lastMeasuredUm = startUm + (measured - 1) * stepUm;
  const behindUm = lastMeasuredUm - r.surfaceUm;
  if (behindUm >= minMaterialUm - 1e-6 * stepUm) return undefined;
  const where =
    behindUm < 0
      ? `${fmtN(-behindUm)} µm beyond the last measured step`
      : `only ${fmtN(behindUm)} µm in front of the last measured step`;
  return {
    code: 'surface-beyond-measured',
    message:
      `the network puts the surface at ${fmtN(r.surfaceUm)} µm, ${where}: the window's ` +
      `${measured} measured steps of ${nSteps} cover ${fmtN(startUm)}–${fmtN(lastMeasuredUm)} µm ` +
      `and the model was trained with at least ${fmtN(minMaterialUm)} µm of measured scan behind ` +
      'the surface. The surface and the composition rest on the masked padding, not on ' +
      `measured counts; extend the scan to at least ${fmtN(r.surfaceUm + minMaterialUm)} µm.`,
  };
}

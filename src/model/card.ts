/**
 * The model card (`models/<name>.json`, written by `training/export.py`): input grid,
 * normalisation constants, output names and shapes, element order, provenance. Validated at the
 * public boundary by {@link parseModelCard}.
 *
 * @module
 */
import { describeValue } from '../errors';
import { PREDICTED_ELEMENTS, type PredictedElement } from '../predictedElements';
import { type ModelCardProblem, ModelCardError } from './errors';
import type { SimulatorPhysics } from '../spectra/mxrfSimulator';

/** The model's input grid (docs/dataset-format.md, "Model grid"). */
export interface ModelGrid {
  /** Number of depth steps (scan positions) of the input. */
  nDepth: number;
  /** Distance between depth steps (µm); step n lies at `n · depthStepUm` from the first. */
  depthStepUm: number;
  /** Number of energy bins. */
  nChannels: number;
  /** Lower edge of bin 0 (keV); bin k covers `[startKeV + k·w, startKeV + (k+1)·w)`. */
  startKeV: number;
  /** Bin width w (keV). */
  binWidthKeV: number;
}

/** Input normalisation: `x = ln(1 + rateCps · referenceLiveTimeS) / scale`. */
export interface ModelNormalization {
  /** Normalisation formula id; only `'log1p'` exists. */
  kind: 'log1p';
  /** Reference live time (s) that multiplies the count rate. */
  referenceLiveTimeS: number;
  /** Divisor of the logarithm. */
  scale: number;
  /** The formula in words, as written by the exporter. */
  formula?: string;
}

/**
 * The second input of a model trained on short scans (`input.depthMask`): a float32
 * `[batch, nDepth]` mask, 1 for a model step that holds a measured step and 0 for a step past
 * the end of the scan (only trailing steps; the profile rows of masked steps are 0).
 */
export interface ModelDepthMaskSpec {
  /** Input name in the ONNX graph, e.g. `'depth_mask'`. */
  name: string;
  /** `['batch', nDepth]`. */
  shape: (string | number)[];
  /** Element type; only `'float32'`. */
  dtype: 'float32';
  /** Fewest measured steps the model accepts in its window (1 ≤ minSteps ≤ nDepth). */
  minSteps: number;
  /**
   * Scan (µm) the model was trained to need behind the surface: the last measured step lies at
   * least this far behind the surface position within the window.
   */
  minMaterialUm: number;
  /** What the values mean, as written by the exporter. */
  meaning?: string;
}

/** One output of the ONNX graph, as described by the card. */
export interface ModelOutputSpec {
  /** Output name in the ONNX graph. */
  name: string;
  /** Shape, `'batch'` for the dynamic batch axis. */
  shape: (string | number)[];
  /** Unit of the values. */
  unit?: string;
  /** What the values mean. */
  meaning?: string;
  /** Order of the columns (the setup output). */
  order?: string[];
}

/** A validated model card. Fields not listed here are kept as they are in the JSON. */
export interface ModelCard {
  /** Model name, e.g. `'cmxrf-default'`. */
  name: string;
  /** Export time (ISO 8601, UTC). */
  createdUtc?: string;
  /** The ONNX file: name relative to the card, SHA-256 (hex), opset, size. */
  onnx: { file: string; sha256: string; opset: number; sizeBytes: number };
  /** Input tensor: name, `[batch, nDepth, nChannels]`, float32, grid and normalisation. */
  input: {
    name: string;
    shape: (string | number)[];
    dtype: 'float32';
    grid: ModelGrid;
    normalization: ModelNormalization;
    /**
     * The depth-mask input of a model that takes scans shorter than `nDepth` steps; absent for
     * models that need every window step measured.
     */
    depthMask?: ModelDepthMaskSpec;
  };
  /** Output tensors. */
  outputs: ModelOutputSpec[];
  /** Elements of the per-element outputs, in output order (equal to `PREDICTED_ELEMENTS`). */
  elements: PredictedElement[];
  /** Mass fraction from which an element counted as present in training. */
  presenceThresholdMassFraction?: number;
  /**
   * Default detection threshold on the presence probability, chosen on a validation set (not
   * the test set) when the model was exported. @default 0.5 when absent
   */
  presenceProbabilityThreshold?: number;
  /** Architecture (`modelConfig`, `parameters`). */
  architecture?: { parameters?: number; modelConfig?: Record<string, unknown> };
  /** Training provenance (dataset manifest hash, steps, seed …). */
  training?: Record<string, unknown>;
  /** Held-out metrics (`training/evaluate.py`), or `null` when none were computed. */
  heldOutMetrics?: Record<string, unknown> | null;
  /** Versions of torch, onnx, the training code and the dataset format. */
  versions?: Record<string, unknown>;
  /** Parity vectors (paths relative to the card) and their tolerance. */
  parity?: { input: string; output: string; atol: number };
  /**
   * The instrument the model was trained for: an instrument description (`cmxrf/instrument`,
   * schema version 1). Absent in cards written before instrument descriptions existed.
   */
  instrument?: Record<string, unknown> & { schemaVersion: number; name: string };
  /** The randomization ranges around `instrument` the training data covered (`cmxrf/instrument`). */
  instrumentRanges?: Record<string, unknown> & { schemaVersion: number };
  /**
   * The simulator physics of the training data (from the training set's manifest). Absent in
   * cards written before it was recorded: those models were trained on
   * `LEGACY_SIMULATOR_PHYSICS` (isotropic double scatter, no higher orders).
   */
  simulator?: SimulatorPhysics;
}

/** Names of the outputs cmxrf reads, with their number of columns. */
export const MODEL_OUTPUTS = {
  presence_logit: PREDICTED_ELEMENTS.length,
  log10_mass_fraction: PREDICTED_ELEMENTS.length,
  density_g_per_cm3: 1,
  surface_um: 1,
  setup: 6,
} as const;

/** Column order of the `setup` output (the six `ConfocalSetup` parameters). */
export const SETUP_ORDER = [
  'tA',
  'tB',
  'tM',
  'sigmaMaxUm',
  'sigmaExpPerKeV',
  'sigmaOffUm',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a parsed model card (the JSON object) and returns it typed. Checks every field the
 * inference path uses: ONNX file and SHA-256, input name/shape/dtype, the grid, the
 * normalisation kind and constants, the optional depth-mask input (`input.depthMask`: name,
 * `['batch', nDepth]`, float32, `minSteps`, `minMaterialUm`), the five outputs with their shapes,
 * the setup column order and the element order.
 *
 * @throws {ModelCardError} listing every missing or invalid field with its value.
 * @example
 * ```ts
 * const card = parseModelCard(JSON.parse(readFileSync('models/cmxrf-default.json', 'utf8')));
 * card.input.grid.nDepth; // 40
 * ```
 */
export function parseModelCard(json: unknown): ModelCard {
  const problems: ModelCardProblem[] = [];
  const bad = (field: string, expected: string, got: unknown): void => {
    problems.push({ field, expected, got: got === undefined ? 'nothing' : describeValue(got) });
  };
  if (!isObject(json)) {
    throw new ModelCardError('<card>', [
      { field: '(root)', expected: 'a JSON object', got: describeValue(json) },
    ]);
  }
  const get = (path: string): unknown =>
    path.split('.').reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), json);
  const str = (path: string): void => {
    const v = get(path);
    if (typeof v !== 'string' || v.length === 0) bad(path, 'a non-empty string', v);
  };
  const num = (path: string, integer: boolean, positive = true): void => {
    const v = get(path);
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      (integer && !Number.isInteger(v)) ||
      (positive && v <= 0)
    )
      bad(path, `a ${positive ? 'positive ' : ''}${integer ? 'integer' : 'finite number'}`, v);
  };

  str('name');
  str('onnx.file');
  const sha = get('onnx.sha256');
  if (typeof sha !== 'string' || !/^[0-9a-f]{64}$/.test(sha))
    bad('onnx.sha256', '64 lower-case hex digits', sha);
  num('onnx.opset', true);
  num('onnx.sizeBytes', true);
  str('input.name');
  if (get('input.dtype') !== 'float32') bad('input.dtype', '"float32"', get('input.dtype'));
  for (const f of ['nDepth', 'nChannels']) num(`input.grid.${f}`, true);
  for (const f of ['depthStepUm', 'startKeV', 'binWidthKeV']) num(`input.grid.${f}`, false);
  const shape = get('input.shape');
  const g = get('input.grid');
  if (
    !Array.isArray(shape) ||
    shape.length !== 3 ||
    (isObject(g) && (shape[1] !== g.nDepth || shape[2] !== g.nChannels))
  )
    bad('input.shape', '["batch", grid.nDepth, grid.nChannels]', shape);
  if (get('input.normalization.kind') !== 'log1p')
    bad(
      'input.normalization.kind',
      '"log1p" (the only normalisation cmxrf implements)',
      get('input.normalization.kind'),
    );
  num('input.normalization.referenceLiveTimeS', false);
  num('input.normalization.scale', false);
  if (get('input.depthMask') !== undefined) checkDepthMask();

  /** `input.depthMask`: name, shape `['batch', nDepth]`, dtype, minSteps, minMaterialUm. */
  function checkDepthMask(): void {
    const m = get('input.depthMask');
    if (!isObject(m)) {
      bad(
        'input.depthMask',
        '{ name, shape: ["batch", grid.nDepth], dtype: "float32", minSteps, minMaterialUm }',
        m,
      );
      return;
    }
    str('input.depthMask.name');
    if (m.name === get('input.name'))
      bad('input.depthMask.name', 'a name other than input.name', m.name);
    const nDepth = get('input.grid.nDepth');
    if (!Array.isArray(m.shape) || m.shape.length !== 2 || m.shape[1] !== nDepth)
      bad('input.depthMask.shape', '["batch", grid.nDepth]', m.shape);
    if (m.dtype !== 'float32') bad('input.depthMask.dtype', '"float32"', m.dtype);
    const minSteps = m.minSteps;
    if (
      typeof minSteps !== 'number' ||
      !Number.isInteger(minSteps) ||
      minSteps < 2 ||
      (typeof nDepth === 'number' && minSteps > nDepth)
    )
      bad('input.depthMask.minSteps', 'an integer from 2 to grid.nDepth', minSteps);
    const mat = m.minMaterialUm;
    if (typeof mat !== 'number' || !Number.isFinite(mat) || mat < 0)
      bad('input.depthMask.minMaterialUm', 'a finite number ≥ 0 (µm)', mat);
  }

  const outputs = get('outputs');
  if (!Array.isArray(outputs)) bad('outputs', 'an array of {name, shape}', outputs);
  else {
    for (const [name, cols] of Object.entries(MODEL_OUTPUTS)) {
      const o: unknown = outputs.find((x) => isObject(x) && x.name === name);
      if (!isObject(o)) {
        bad(`outputs[${name}]`, `an output named "${name}"`, undefined);
        continue;
      }
      if (!Array.isArray(o.shape) || o.shape.length !== 2 || o.shape[1] !== cols)
        bad(`outputs[${name}].shape`, `["batch", ${cols}]`, o.shape);
      if (name === 'setup' && JSON.stringify(o.order) !== JSON.stringify(SETUP_ORDER))
        bad('outputs[setup].order', JSON.stringify(SETUP_ORDER), o.order);
    }
  }
  const elements = get('elements');
  if (!Array.isArray(elements) || elements.length !== PREDICTED_ELEMENTS.length)
    bad('elements', `the ${PREDICTED_ELEMENTS.length} PREDICTED_ELEMENTS in order`, elements);
  else {
    const i = PREDICTED_ELEMENTS.findIndex((s, j) => elements[j] !== s);
    if (i >= 0)
      bad(`elements[${i}]`, `"${PREDICTED_ELEMENTS[i]}" (PREDICTED_ELEMENTS order)`, elements[i]);
  }
  const pp = json.presenceProbabilityThreshold;
  if (pp !== undefined && (typeof pp !== 'number' || !(pp > 0 && pp < 1)))
    bad('presenceProbabilityThreshold', 'a number in (0, 1)', pp);
  const inst = json.instrument;
  if (
    inst !== undefined &&
    (!isObject(inst) || typeof inst.name !== 'string' || typeof inst.schemaVersion !== 'number')
  )
    bad('instrument', 'an instrument description ({ schemaVersion, name, tube, … })', inst);
  const ranges = json.instrumentRanges;
  if (ranges !== undefined && (!isObject(ranges) || typeof ranges.schemaVersion !== 'number'))
    bad('instrumentRanges', 'randomization ranges ({ schemaVersion, parameters, … })', ranges);
  const sim = json.simulator;
  if (
    sim !== undefined &&
    (!isObject(sim) ||
      (sim.doubleScatter !== 'directional' && sim.doubleScatter !== 'isotropic') ||
      typeof sim.higherScatterOrders !== 'boolean')
  )
    bad(
      'simulator',
      "the training data's simulator physics ({ doubleScatter: 'directional' | 'isotropic', higherScatterOrders: boolean })",
      sim,
    );
  const name = typeof json.name === 'string' && json.name ? json.name : '<card>';
  if (problems.length > 0) throw new ModelCardError(name, problems);
  return json as unknown as ModelCard;
}

/** A short id of a model: `<name>@<first 12 hex digits of the ONNX SHA-256>`. */
export function modelId(card: ModelCard): string {
  return `${card.name}@${card.onnx.sha256.slice(0, 12)}`;
}

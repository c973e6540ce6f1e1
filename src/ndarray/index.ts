/**
 * Interop with scijs `ndarray`, the array currency of the JavaScript science ecosystem: depth
 * profiles from `[depth, channel]` ndarrays (any strides, any numeric data, read structurally)
 * and zero-copy ndarray views of profiles and results. Needs the optional peer dependency
 * `ndarray`; the rest of cmxrf never loads it.
 *
 * @module
 */
import ndarray from 'ndarray';
import { InvalidArgumentError, describeValue } from '../errors';
import { SETUP_ORDER } from '../model/card';
import type { QuantificationResult } from '../model/result';
import type { DepthProfile, EnergyCalibration } from '../profile';

/**
 * The parts of an ndarray cmxrf reads (scijs `ndarray` objects have them): `data[offset +
 * i·stride[0] + j·stride[1]]` is element `[i, j]`.
 */
export interface NdarrayLike {
  /** Backing storage (typed array or array). */
  data: ArrayLike<number>;
  /** Extent per dimension. */
  shape: readonly number[];
  /** Storage step per dimension. */
  stride: readonly number[];
  /** Storage index of element `[0, 0, …]`. */
  offset: number;
}

/** An ndarray returned by cmxrf (a scijs `ndarray` object; typed structurally). */
export interface NdarrayView<
  D extends Float32Array | Float64Array = Float64Array,
> extends NdarrayLike {
  /** Backing storage, shared with the cmxrf object it views. */
  data: D;
  /** Element at the given indices. */
  get(...indices: number[]): number;
  /** Sets the element at the given indices (writes through to the viewed object). */
  set(...indicesThenValue: number[]): number;
  /** Number of elements. */
  size: number;
}

/** Options of {@link depthProfileFromNdarray}. */
export interface DepthProfileFromNdarrayOptions {
  /** Energy calibration of the channels (`nChannels` must equal `shape[1]`). */
  calibration: EnergyCalibration;
  /** Scan positions (µm), one per row. Alternatively give `depthStepUm`. */
  depthsUm?: ArrayLike<number>;
  /** Step between rows (µm), when `depthsUm` is not given. */
  depthStepUm?: number;
  /** Scan position of row 0 with `depthStepUm` (µm). @default 0 */
  firstDepthUm?: number;
  /** Live time per row (s), or one value for all rows. */
  liveTimesS: ArrayLike<number> | number;
  /** Free-form origin. */
  source?: string;
}

function isNdarrayLike(x: unknown): x is NdarrayLike {
  if (typeof x !== 'object' || x === null) return false;
  const a = x as Partial<NdarrayLike>;
  return (
    a.data !== undefined &&
    typeof a.data.length === 'number' &&
    Array.isArray(a.shape) &&
    Array.isArray(a.stride) &&
    typeof a.offset === 'number'
  );
}

/**
 * Builds a {@link DepthProfile} from counts shaped `[depth step, channel]` (a scijs ndarray or
 * anything with `data`/`shape`/`stride`/`offset`). A contiguous row-major Float32Array or
 * Float64Array is used without copying; anything else (transposed, sliced, integer data) is
 * copied into a Float64Array.
 *
 * @throws {InvalidArgumentError} for a non-2-D array, a shape that disagrees with the
 *   calibration or the depths, an index outside the data, or a non-finite or negative count
 *   (named by row and channel).
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const counts = ndarray(new Float64Array(40 * 2048), [40, 2048]);
 * const profile = depthProfileFromNdarray(counts, {
 *   calibration: { offsetKeV: 0, gainKeVPerChannel: 0.02, nChannels: 2048 },
 *   depthStepUm: 5,
 *   liveTimesS: 10,
 * });
 * ```
 */
export function depthProfileFromNdarray(
  counts: NdarrayLike,
  options: DepthProfileFromNdarrayOptions,
): DepthProfile {
  if (!isNdarrayLike(counts))
    throw new InvalidArgumentError(
      `counts must be an ndarray (data, shape, stride, offset). Value: \`${describeValue(counts)}\`.`,
    );
  if (counts.shape.length !== 2 || counts.stride.length !== 2)
    throw new InvalidArgumentError(
      `counts must be 2-D [depth step, channel]. Value: shape \`[${counts.shape.join(', ')}]\`.`,
    );
  const [nSteps, nChannels] = counts.shape;
  if (!(nSteps >= 1 && nChannels >= 1))
    throw new InvalidArgumentError(`counts is empty. Value: shape \`[${nSteps}, ${nChannels}]\`.`);
  const cal = options.calibration;
  if (cal.nChannels !== nChannels)
    throw new InvalidArgumentError(
      `calibration.nChannels must equal shape[1] = ${nChannels}. Value: \`${cal.nChannels}\`.`,
    );
  const [s0, s1] = counts.stride;
  const { data, offset } = counts;
  // Extreme storage indices must lie inside the data.
  const corners = [
    0,
    (nSteps - 1) * s0,
    (nChannels - 1) * s1,
    (nSteps - 1) * s0 + (nChannels - 1) * s1,
  ];
  const lo = offset + Math.min(...corners);
  const hi = offset + Math.max(...corners);
  if (lo < 0 || hi >= data.length)
    throw new InvalidArgumentError(
      `counts indexes storage ${lo}…${hi} but data has ${data.length} elements.`,
    );
  let out: Float32Array | Float64Array;
  if (
    s1 === 1 &&
    s0 === nChannels &&
    (data instanceof Float64Array || data instanceof Float32Array)
  ) {
    out = data.subarray(offset, offset + nSteps * nChannels);
  } else {
    out = new Float64Array(nSteps * nChannels);
    for (let i = 0; i < nSteps; i++)
      for (let j = 0; j < nChannels; j++) out[i * nChannels + j] = data[offset + i * s0 + j * s1];
  }
  for (let k = 0; k < out.length; k++) {
    const v = out[k];
    if (!(v >= 0) || v === Infinity)
      throw new InvalidArgumentError(
        `counts[${Math.floor(k / nChannels)}, ${k % nChannels}] must be a finite count ≥ 0. Value: \`${v}\`.`,
      );
  }
  let depthsUm: Float64Array;
  if (options.depthsUm !== undefined) {
    if (options.depthsUm.length !== nSteps)
      throw new InvalidArgumentError(
        `depthsUm must have shape[0] = ${nSteps} entries. Value: length \`${options.depthsUm.length}\`.`,
      );
    depthsUm = Float64Array.from(options.depthsUm);
  } else {
    const step = options.depthStepUm;
    if (typeof step !== 'number' || !(step > 0) || step === Infinity)
      throw new InvalidArgumentError(
        `give depthsUm or a depthStepUm > 0. Value: depthStepUm \`${describeValue(step)}\`.`,
      );
    const first = options.firstDepthUm ?? 0;
    depthsUm = Float64Array.from({ length: nSteps }, (_, i) => first + i * step);
  }
  const lt = options.liveTimesS;
  const liveTimesS =
    typeof lt === 'number' ? new Float64Array(nSteps).fill(lt) : Float64Array.from(lt);
  if (liveTimesS.length !== nSteps)
    throw new InvalidArgumentError(
      `liveTimesS must have shape[0] = ${nSteps} entries. Value: length \`${liveTimesS.length}\`.`,
    );
  liveTimesS.forEach((t, i) => {
    if (!(t > 0) || t === Infinity)
      throw new InvalidArgumentError(`liveTimesS[${i}] must be > 0 s. Value: \`${t}\`.`);
  });
  const profile: DepthProfile = {
    counts: out,
    nSteps,
    nChannels,
    depthsUm,
    calibration: { ...cal },
    liveTimesS,
  };
  if (options.source !== undefined) profile.source = options.source;
  return profile;
}

/**
 * A `[depth step, channel]` ndarray view of a profile's counts (no copy: writes go through).
 *
 * @example
 * ```ts
 * const a = profileToNdarray(profile);
 * a.shape; // [40, 2048]
 * a.get(3, 100) === profile.counts[3 * profile.nChannels + 100]; // true
 * ```
 */
export function profileToNdarray<D extends Float32Array | Float64Array>(
  profile: DepthProfile & { counts: D },
): NdarrayView<D> {
  return ndarray(profile.counts, [profile.nSteps, profile.nChannels]) as unknown as NdarrayView<D>;
}

/** Results of several quantifications as ndarrays (rows in input order). */
export interface ResultsNdarrays {
  /** Element symbols of the columns. */
  elements: string[];
  /** `[result, element]` reported (gated) mass fractions 0..1. */
  massFraction: NdarrayView;
  /** `[result, element]` regressed mass fractions 0..1. */
  massFractionRaw: NdarrayView;
  /** `[result, element]` presence probabilities. */
  presenceProbability: NdarrayView;
  /** `[result]` densities (g/cm³). */
  densityGPerCm3: NdarrayView;
  /** `[result]` surface positions (µm). */
  surfaceUm: NdarrayView;
  /** Names of the setup columns (`SETUP_ORDER`). */
  setupNames: string[];
  /** `[result, 6]` setup parameters in `setupNames` order. */
  setup: NdarrayView;
}

/**
 * Packs quantification results into ndarrays (one row per result) for ndarray-ops and friends.
 *
 * @throws {InvalidArgumentError} when the results list different elements.
 * @example
 * ```ts
 * const t = resultsToNdarray(await q.quantify(profiles));
 * t.massFraction.get(0, t.elements.indexOf('Fe')); // Fe mass fraction of the first profile
 * ```
 */
export function resultsToNdarray(results: readonly QuantificationResult[]): ResultsNdarrays {
  const n = results.length;
  const elements = n ? results[0].elements.map((e) => e.element as string) : [];
  const ne = elements.length;
  const w = new Float64Array(n * ne);
  const raw = new Float64Array(n * ne);
  const p = new Float64Array(n * ne);
  const rho = new Float64Array(n);
  const x0 = new Float64Array(n);
  const setup = new Float64Array(n * 6);
  results.forEach((r, i) => {
    if (r.elements.length !== ne || r.elements.some((e, j) => e.element !== elements[j]))
      throw new InvalidArgumentError(
        `results[${i}] lists other elements than results[0] (different models?).`,
      );
    r.elements.forEach((e, j) => {
      w[i * ne + j] = e.massFraction;
      raw[i * ne + j] = e.massFractionRaw;
      p[i * ne + j] = e.presenceProbability;
    });
    rho[i] = r.densityGPerCm3;
    x0[i] = r.surfaceUm;
    SETUP_ORDER.forEach((k, j) => (setup[i * 6 + j] = r.setup[k]));
  });
  const view = (d: Float64Array, shape: number[]): NdarrayView =>
    ndarray(d, shape) as unknown as NdarrayView;
  return {
    elements,
    massFraction: view(w, [n, ne]),
    massFractionRaw: view(raw, [n, ne]),
    presenceProbability: view(p, [n, ne]),
    densityGPerCm3: view(rho, [n]),
    surfaceUm: view(x0, [n]),
    setupNames: [...SETUP_ORDER],
    setup: view(setup, [n, 6]),
  };
}

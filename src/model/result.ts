/**
 * Result types of quantification, and their decoding from the raw network outputs.
 *
 * @module
 */
import type { PredictedElement } from '../predictedElements';
import type { ConfocalSetup } from '../profile';
import type { IntensityConvention } from './depthResample';
import type { QuantifyWarning } from './guards';
import type { ModelInstrumentReport } from './instrumentGuards';
import type { IntensityNormalization } from './intensityScale';
import type { ModelWindow, ScanFacts } from './scan';

/** The per-element result. */
export interface ElementQuantity {
  /** Element symbol. */
  element: PredictedElement;
  /**
   * Mass fraction (0..1) gated by detection: `massFractionRaw` when `detected`, else exactly 0.
   * This is the value to report.
   */
  massFraction: number;
  /**
   * Mass fraction (0..1) as regressed, `10^log10_mass_fraction`, whatever the presence
   * probability. For analysis and for other thresholds; meaningless for absent elements.
   */
  massFractionRaw: number;
  /** Presence probability `sigmoid(presence_logit)` (0..1). */
  presenceProbability: number;
  /** `presenceProbability ≥ threshold`. */
  detected: boolean;
}

/** Quantification of one depth profile. */
export interface QuantificationResult {
  /** The model that produced it: `<card name>@<first 12 hex digits of its SHA-256>`. */
  modelId: string;
  /** `profile.source`, where set. */
  source?: string;
  /** Detection threshold on `presenceProbability` that was applied. */
  threshold: number;
  /** One entry per predicted element, in `PREDICTED_ELEMENTS` (model card) order. */
  elements: ElementQuantity[];
  /** Density of the sample (g/cm³). */
  densityGPerCm3: number;
  /**
   * Surface position on the profile's scan axis (µm): the start of the model window
   * (`window.startUm`) plus the network's x0, which is relative to the window.
   */
  surfaceUm: number;
  /** The six confocal-setup parameters estimated by the model. */
  setup: ConfocalSetup;
  /**
   * Everything that limits how far the result can be trusted, as `{ code, message }`
   * (docs/quantify.md, "Guards"); empty when every guard passed. Later stages (e.g. a
   * refinement) append their own.
   */
  warnings: QuantifyWarning[];
  /** Facts about the scan (positions, step, surface edge, peak count rate). */
  scan: ScanFacts;
  /** The part of the scan the network saw. */
  window: ModelWindow;
  /** How the counts were taken to scale with the scan step (docs/quantify.md). */
  intensityConvention: IntensityConvention;
  /**
   * The instrument the model was trained for (from the model card) and what of it the file's
   * metadata did not allow to check; absent when the card names no instrument. Contradictions
   * are `instrument-*` warnings.
   */
  modelInstrument?: ModelInstrumentReport;
  /**
   * How the measured rates were scaled onto the model's instrument (tube current, intensity
   * scale) before the network; absent when they were used as measured. With it, the rates in
   * `scan` are the normalised ones.
   */
  intensityNormalization?: IntensityNormalization;
}

/** Raw outputs of the network for a batch, row-major, elements in card order. */
export interface RawModelOutputs {
  /** Batch size. */
  batch: number;
  /** `[batch, 53]` presence logits. */
  presenceLogit: Float32Array;
  /** `[batch, 53]` log10 mass fractions. */
  log10MassFraction: Float32Array;
  /** `[batch]` density (g/cm³). */
  densityGPerCm3: Float32Array;
  /** `[batch]` surface x0 relative to the first model step (µm). */
  surfaceUm: Float32Array;
  /** `[batch, 6]` setup parameters in `SETUP_ORDER`. */
  setup: Float32Array;
}

/** Logistic function, stable for large |x|. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Decodes row `b` of raw outputs into a {@link QuantificationResult}. */
export function decodeResult(
  raw: RawModelOutputs,
  b: number,
  elements: readonly PredictedElement[],
  meta: {
    modelId: string;
    threshold: number;
    source?: string;
    scan: ScanFacts;
    window: ModelWindow;
    warnings: QuantifyWarning[];
    intensityConvention: IntensityConvention;
  },
): QuantificationResult {
  const ne = elements.length;
  const out: ElementQuantity[] = new Array(ne);
  for (let i = 0; i < ne; i++) {
    const p = sigmoid(raw.presenceLogit[b * ne + i]);
    const w = Math.pow(10, raw.log10MassFraction[b * ne + i]);
    const detected = p >= meta.threshold;
    out[i] = {
      element: elements[i],
      massFraction: detected ? w : 0,
      massFractionRaw: w,
      presenceProbability: p,
      detected,
    };
  }
  const s = raw.setup.subarray(b * 6, b * 6 + 6);
  const result: QuantificationResult = {
    modelId: meta.modelId,
    threshold: meta.threshold,
    elements: out,
    densityGPerCm3: raw.densityGPerCm3[b],
    surfaceUm: meta.window.startUm + raw.surfaceUm[b],
    setup: {
      tA: s[0],
      tB: s[1],
      tM: s[2],
      sigmaMaxUm: s[3],
      sigmaExpPerKeV: s[4],
      sigmaOffUm: s[5],
    },
    warnings: meta.warnings,
    scan: meta.scan,
    window: meta.window,
    intensityConvention: meta.intensityConvention,
  };
  if (meta.source !== undefined) result.source = meta.source;
  return result;
}

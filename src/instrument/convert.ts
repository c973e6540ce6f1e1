/**
 * Conversion between an {@link InstrumentDescription} and the simulator's `Instrument`.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import {
  defaultInstrument,
  resolveInstrument,
  type Instrument,
  type InstrumentOverrides,
} from '../spectra/instrument.js';
import {
  INSTRUMENT_SCHEMA_VERSION,
  parseInstrumentDescription,
  type InstrumentDescription,
  type MeasuredOpticDescription,
} from './description.js';

/** Result of {@link instrumentFromDescription}. */
export interface ConvertedInstrument {
  /** The simulator's instrument (every field the description does not set takes its default). */
  instrument: Instrument;
  /** Approximations made by the conversion, in words (empty when exact). */
  warnings: string[];
}

/** Options of {@link instrumentFromDescription}. */
export interface InstrumentFromDescriptionOptions {
  /** Live time of the simulated spectra (s). @default 1 */
  liveTimeS?: number;
}

/** Width (keV) that makes the Gaussian band-pass flat within 0.2 % up to 60 keV. */
const FLAT_WIDTH_KEV = 1000;

/**
 * Least-squares fit of a Gaussian band-pass to a measured transmission curve: a parabola fitted
 * to ln T over the points above 5 % of the maximum, weighted by T² (the usual weighting of a
 * log-linearised Gaussian fit). Falls back to the moments of the curve if the parabola opens
 * upwards.
 * @see R. Caruana, R. Searle, T. Heller, S. Shupack, Anal. Chem. 58 (1986) 1162, doi:10.1021/ac00297a041
 *
 * @example
 * ```ts
 * import { fitBandPass } from 'cmxrf/instrument';
 * const energyKeV = [4, 8, 12, 16, 20, 24, 28];
 * const transmission = energyKeV.map((e) => Math.exp(-0.5 * ((e - 16) / 6) ** 2));
 * fitBandPass({ kind: 'measured', energyKeV, transmission, solidAngleSr: 0.002 });
 * // → { amplitude: 1, centreKeV: 16, widthKeV: 6 }
 * ```
 */
export function fitBandPass(optic: MeasuredOpticDescription): {
  amplitude: number;
  centreKeV: number;
  widthKeV: number;
} {
  const e = optic.energyKeV;
  const t = optic.transmission;
  const max = Math.max(...t);
  // Normal equations of ln T = a + b x + c x² (x = E − mean E, for conditioning).
  let sw = 0;
  let mean = 0;
  for (let i = 0; i < e.length; i++) {
    if (t[i] < 0.05 * max) continue;
    sw += t[i] * t[i];
    mean += t[i] * t[i] * e[i];
  }
  mean /= sw;
  const s = new Float64Array(5);
  const r = new Float64Array(3);
  for (let i = 0; i < e.length; i++) {
    if (t[i] < 0.05 * max) continue;
    const w = t[i] * t[i];
    const x = e[i] - mean;
    const y = Math.log(t[i]);
    let p = w;
    for (let k = 0; k < 5; k++) {
      s[k] += p;
      if (k < 3) r[k] += p * y;
      p *= x;
    }
  }
  const m = [
    [s[0], s[1], s[2], r[0]],
    [s[1], s[2], s[3], r[1]],
    [s[2], s[3], s[4], r[2]],
  ];
  for (let c = 0; c < 3; c++) {
    let piv = c;
    for (let q = c + 1; q < 3; q++) if (Math.abs(m[q][c]) > Math.abs(m[piv][c])) piv = q;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let q = 0; q < 3; q++) {
      if (q === c || m[c][c] === 0) continue;
      const f = m[q][c] / m[c][c];
      for (let k = c; k < 4; k++) m[q][k] -= f * m[c][k];
    }
  }
  const a = m[0][3] / m[0][0];
  const b = m[1][3] / m[1][1];
  const c2 = m[2][3] / m[2][2];
  if (c2 < 0 && Number.isFinite(a + b + c2)) {
    const widthKeV = Math.sqrt(-1 / (2 * c2));
    const x0 = -b / (2 * c2);
    return {
      amplitude: Math.exp(a - (b * b) / (4 * c2)),
      centreKeV: mean + x0,
      widthKeV,
    };
  }
  let sum = 0;
  let m1 = 0;
  for (let i = 0; i < e.length; i++) {
    sum += t[i];
    m1 += t[i] * e[i];
  }
  m1 /= sum;
  let m2 = 0;
  for (let i = 0; i < e.length; i++) m2 += t[i] * (e[i] - m1) ** 2;
  return { amplitude: max, centreKeV: m1, widthKeV: Math.sqrt(m2 / sum) };
}

/**
 * Converts a (validated) instrument description to the simulator's instrument. Helium and vacuum
 * paths become zero air path (helium absorbs < 0.1 % over 10 mm at 1 keV); a measured optic
 * curve is replaced by its least-squares Gaussian band-pass ({@link fitBandPass}) and a warning
 * says so, because the simulator models the optic as a Gaussian band-pass.
 *
 * @param description - A description that passed {@link parseInstrumentDescription}.
 * @param options - Live time of the simulated spectra.
 * @returns The instrument and the approximations made.
 * @throws {@link InstrumentDescriptionError} if the description is invalid.
 * @example
 * ```ts
 * const { instrument } = instrumentFromDescription(m4Description);
 * createMxrfSimulator(instrument);
 * ```
 */
export function instrumentFromDescription(
  description: InstrumentDescription,
  options: InstrumentFromDescriptionOptions = {},
): ConvertedInstrument {
  const d = parseInstrumentDescription(description, `instrument "${String(description?.name)}"`);
  const warnings: string[] = [];
  const o = d.excitationOptic;
  let optic: InstrumentOverrides['excitationOptic'];
  if (o.kind === 'bandPass') {
    optic = {
      amplitude: o.amplitude,
      centreKeV: o.centreKeV,
      widthKeV: o.widthKeV,
      solidAngleSr: o.solidAngleSr,
    };
  } else if (o.kind === 'none') {
    optic = { amplitude: 1, centreKeV: 0, widthKeV: FLAT_WIDTH_KEV, solidAngleSr: o.solidAngleSr };
  } else {
    const fit = fitBandPass(o);
    optic = { ...fit, solidAngleSr: o.solidAngleSr };
    warnings.push(
      `excitationOptic: the measured transmission curve is simulated as its least-squares Gaussian band-pass ` +
        `(amplitude ${fit.amplitude.toPrecision(3)}, centre ${fit.centreKeV.toFixed(2)} keV, width ${fit.widthKeV.toFixed(2)} keV)`,
    );
  }
  const air = (p: { lengthMm: number; gas: string }) => (p.gas === 'air' ? p.lengthMm : 0);
  const overrides: InstrumentOverrides = {
    tube: {
      anode: d.tube.anode,
      voltageKV: d.tube.voltageKV,
      currentMA: d.tube.currentMA,
      electronIncidenceDeg: d.tube.electronIncidenceDeg,
      takeOffDeg: d.tube.takeOffDeg,
      beWindowUm: d.tube.beWindowUm,
      ...(d.tube.binWidthKeV !== undefined ? { binWidthKeV: d.tube.binWidthKeV } : {}),
    },
    excitationOptic: optic,
    incidenceDeg: d.geometry.incidenceDeg,
    exitDeg: d.geometry.exitDeg,
    ...(d.geometry.scatterAngleDeg !== undefined
      ? { scatterAngleDeg: d.geometry.scatterAngleDeg }
      : {}),
    airPathInMm: air(d.paths.tubeToSample),
    airPathOutMm: air(d.paths.sampleToDetector),
    detector: { ...d.detector },
    calibration: { ...d.calibration },
    liveTimeS: options.liveTimeS ?? 1,
  };
  return { instrument: resolveInstrument(overrides), warnings };
}

/**
 * Describes a simulator instrument (the inverse of {@link instrumentFromDescription} for a
 * band-pass optic and air paths). Fields the description schema does not know are left out.
 *
 * @param instrument - Instrument or overrides of {@link defaultInstrument}.
 * @param meta - Name and free-text description.
 * @throws {@link InvalidArgumentError} if the instrument lies outside the description's ranges.
 * @example
 * ```ts
 * descriptionFromInstrument(defaultInstrument(), { name: 'M4 Tornado class' }).tube.voltageKV; // 50
 * ```
 */
export function descriptionFromInstrument(
  instrument: Instrument | InstrumentOverrides = defaultInstrument(),
  meta: { name: string; description?: string } = { name: 'unnamed' },
): InstrumentDescription {
  const i = resolveInstrument(instrument);
  const o = i.excitationOptic;
  const d: InstrumentDescription = {
    schemaVersion: INSTRUMENT_SCHEMA_VERSION,
    name: meta.name,
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    tube: {
      anode: i.tube.anode,
      voltageKV: i.tube.voltageKV,
      currentMA: i.tube.currentMA,
      electronIncidenceDeg: i.tube.electronIncidenceDeg,
      takeOffDeg: i.tube.takeOffDeg,
      beWindowUm: i.tube.beWindowUm,
      binWidthKeV: i.tube.binWidthKeV,
    },
    excitationOptic: {
      kind: 'bandPass',
      amplitude: o.amplitude,
      centreKeV: o.centreKeV,
      widthKeV: o.widthKeV,
      solidAngleSr: o.solidAngleSr,
    },
    geometry: {
      incidenceDeg: i.incidenceDeg,
      exitDeg: i.exitDeg,
      ...(i.scatterAngleDeg !== undefined ? { scatterAngleDeg: i.scatterAngleDeg } : {}),
    },
    paths: {
      tubeToSample: { lengthMm: i.airPathInMm, gas: 'air' },
      sampleToDetector: { lengthMm: i.airPathOutMm, gas: 'air' },
    },
    detector: {
      beWindowUm: i.detector.beWindowUm,
      deadLayerUm: i.detector.deadLayerUm,
      siThicknessUm: i.detector.siThicknessUm,
      fwhmAtMnKaEv: i.detector.fwhmAtMnKaEv,
      fanoFactor: i.detector.fanoFactor,
      tailFraction: i.detector.tailFraction,
      tailSlopeSigma: i.detector.tailSlopeSigma,
      shelfFraction: i.detector.shelfFraction,
      escapePeaks: i.detector.escapePeaks,
      pulsePairResolutionUs: i.detector.pulsePairResolutionUs,
      deadTimeUs: i.detector.deadTimeUs,
      solidAngleSr: i.detector.solidAngleSr,
    },
    calibration: { ...i.calibration },
  };
  try {
    return parseInstrumentDescription(d, `instrument "${meta.name}"`);
  } catch (e) {
    throw new InvalidArgumentError(
      `The instrument cannot be described within the schema's ranges: ${(e as Error).message}`,
    );
  }
}

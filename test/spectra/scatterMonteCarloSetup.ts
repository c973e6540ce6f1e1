/**
 * Shared setup of the scatter Monte Carlo comparison: the instrument (bare Rh tube at 50 kV,
 * vacuum, 50°/50°) and the samples. The reference script training/reference/scatter_mc.py
 * reads the same samples from test/fixtures/scatter-mc/reference.json.
 */
import { crossSectionOnGrid, resolveMaterial, type Material } from '../../src/physics/index.js';
import { PeakList } from '../../src/spectra/detectorResponse.js';
import { prepareExcitation, type Excitation } from '../../src/spectra/excitation.js';
import { resolveInstrument, type InstrumentOverrides } from '../../src/spectra/instrument.js';
import {
  addDoubleScatter,
  addIsotropicDoubleScatter,
  addSingleScatter,
  prepareScatter,
  prepareSecondOrder,
  type Arrival,
} from '../../src/spectra/scatter.js';

/** Bare tube: a band-pass so wide that it is flat (1 − 10⁻⁴ at 1 and 50 keV), no air. */
export const SCATTER_MC_INSTRUMENT: InstrumentOverrides = {
  tube: { anode: 'Rh', voltageKV: 50 },
  excitationOptic: { amplitude: 1, centreKeV: 25, widthKeV: 1000, solidAngleSr: 0.002 },
  incidenceDeg: 50,
  exitDeg: 50,
  airPathInMm: 0,
  airPathOutMm: 0,
};

/** Width of the comparison bins (keV): 5 channels of the default 10 eV calibration. */
export const MC_BIN_KEV = 0.05;
/** Channels per comparison bin. */
const CHANNELS_PER_BIN = 5;

/** The simulator's scatter before the detector, per sr of detector solid angle and second. */
export interface SimulatedScatterOrders {
  /** Single scatter per comparison bin, [origin][bin]: origin 0 tube continuum, 1 tube lines. */
  single: [Float64Array, Float64Array];
  /** Multiple scatter (double scatter and the estimate of higher orders), [origin][bin]. */
  multiple: [Float64Array, Float64Array];
  /** Double scatter alone, [origin][bin]. */
  double: [Float64Array, Float64Array];
  /** Double scatter of the isotropic model (the simulator's default), [origin][bin]. */
  isotropic: [Float64Array, Float64Array];
  /** Rh Kα (19.7–20.3 keV tube lines): single Rayleigh peak and Compton line counts. */
  kaRayleigh: number;
  kaCompton: number;
  /** Rh Kα: multiple scatter that the simulator puts on the Rayleigh peak (Rayleigh chains). */
  kaDoubleRayleigh: number;
}

/**
 * Runs the simulator's scatter stages (single scatter, multiple scatter) for one sample (and
 * the geometry of {@link SCATTER_MC_INSTRUMENT} unless `geometry` is given) with a
 * detection efficiency of 1 and Ω t = 1 sr · s, and sums them on the comparison bins (bin i
 * holds channels 5i … 5i + 4); lines' Rayleigh peaks go to the bin of their energy.
 */
export function simulateScatterOrders(
  composition: Material,
  geometry: { incidenceDeg: number; exitDeg: number } = { incidenceDeg: 50, exitDeg: 50 },
): SimulatedScatterOrders {
  const inst = resolveInstrument({ ...SCATTER_MC_INSTRUMENT, ...geometry });
  const exc = prepareExcitation(inst, 1.0);
  const sin1 = Math.sin((inst.incidenceDeg * Math.PI) / 180);
  const sin2 = Math.sin((inst.exitDeg * Math.PI) / 180);
  const theta = inst.incidenceDeg + inst.exitDeg;
  const cal = inst.calibration;
  const one = () => 1;
  const sp = prepareScatter(exc, theta, cal, one);
  const so = prepareSecondOrder(exc, cal, one, sin1, sin2);
  const m = resolveMaterial(composition);
  const mu0 = crossSectionOnGrid(exc.grid, m, 'total');
  const aExc = mu0.map((v) => v / sin1);
  const nBins = Math.ceil(cal.nChannels / CHANNELS_PER_BIN);
  const only = (keep: (j: number) => boolean): Excitation => {
    const photonsPerS = exc.photonsPerS.map((n, j) => (keep(j) ? n : 0));
    const coarsePhotonsPerS = new Float64Array(exc.coarsePhotonsPerS.length);
    for (let j = 0; j < photonsPerS.length; j++)
      coarsePhotonsPerS[exc.coarseOf[j]] += photonsPerS[j];
    return { ...exc, photonsPerS, coarsePhotonsPerS };
  };
  const rebin = (arrival: Arrival, peaks: PeakList): Float64Array => {
    const out = new Float64Array(nBins);
    for (let c = 0; c < cal.nChannels; c++)
      out[Math.floor(c / CHANNELS_PER_BIN)] += arrival.counts[c];
    for (let i = 0; i < peaks.length; i++) {
      const b = Math.floor((peaks.energyKeV[i] - cal.offsetKeV) / cal.gainKeVPerChannel + 0.5);
      if (b >= 0 && b < cal.nChannels) out[Math.floor(b / CHANNELS_PER_BIN)] += peaks.counts[i];
    }
    return out;
  };
  const newArrival = (): Arrival => ({
    counts: new Float64Array(cal.nChannels),
    weighted: new Float64Array(cal.nChannels),
  });
  const single = [0, 1].map((origin) => {
    const e = only((j) => exc.isLine[j] === origin);
    const arrival = newArrival();
    const peaks = new PeakList();
    addSingleScatter(sp, e, m, mu0, aExc, sin1, sin2, 1, 0.01, peaks, arrival);
    return rebin(arrival, peaks);
  }) as [Float64Array, Float64Array];
  const multipleScatter = (higherOrders: boolean) =>
    [0, 1].map((origin) => {
      const e = only((j) => exc.isLine[j] === origin);
      const arrival = newArrival();
      const peaks = new PeakList();
      addDoubleScatter(so, e, m, sin1, sin2, 1 / (4 * Math.PI), arrival, peaks, higherOrders);
      return rebin(arrival, peaks);
    }) as [Float64Array, Float64Array];
  const multiple = multipleScatter(true);
  const double = multipleScatter(false);
  const isotropic = [0, 1].map((origin) => {
    const arrival = newArrival();
    const e = only((j) => exc.isLine[j] === origin);
    addIsotropicDoubleScatter(so, e, m, sin1, sin2, 1 / (4 * Math.PI), arrival);
    return rebin(arrival, new PeakList());
  }) as [Float64Array, Float64Array];
  const isKa = (j: number) =>
    exc.isLine[j] === 1 && exc.energyKeV[j] >= 19.7 && exc.energyKeV[j] <= 20.3;
  const arrival = newArrival();
  const peaks = new PeakList();
  addSingleScatter(sp, only(isKa), m, mu0, aExc, sin1, sin2, 1, 0.01, peaks, arrival);
  let kaRayleigh = 0;
  for (let i = 0; i < peaks.length; i++) kaRayleigh += peaks.counts[i];
  const kaCompton = arrival.counts.reduce((a, b) => a + b, 0);
  const doublePeaks = new PeakList();
  addDoubleScatter(so, only(isKa), m, sin1, sin2, 1 / (4 * Math.PI), newArrival(), doublePeaks);
  let kaDoubleRayleigh = 0;
  for (let i = 0; i < doublePeaks.length; i++) kaDoubleRayleigh += doublePeaks.counts[i];
  return { single, multiple, double, isotropic, kaRayleigh, kaCompton, kaDoubleRayleigh };
}

/**
 * Does an FFT (fft.js) pay off for detector-response convolution? One 4096-channel spectrum
 * convolved with a shift-invariant Gaussian of K taps: direct O(N·K) loop (baseline) vs
 * fft.js (zero-padded real FFT, product with the precomputed kernel spectrum, inverse FFT),
 * for kernel lengths from the SDD's (σ ≈ 40–90 eV → 41–91 taps of 10 eV at ±5σ) up to far
 * wider ones. Both results are compared so the timing is of equal work.
 */
import FFT from 'fft.js';
import {
  addContinuumResponse,
  createContinuumResponse,
  createDetectorResponse,
} from '../src/spectra/detector.js';
import { defaultInstrument } from '../src/spectra/instrument.js';
import { report, timeIt } from './util.js';

const N = 4096;

function gaussianKernel(taps: number): Float64Array {
  const h = (taps - 1) / 2;
  const s = h / 5;
  const g = new Float64Array(taps);
  let sum = 0;
  for (let k = 0; k < taps; k++) sum += g[k] = Math.exp(-0.5 * ((k - h) / s) ** 2);
  for (let k = 0; k < taps; k++) g[k] /= sum;
  return g;
}

/** Direct "same"-size convolution, allocation-free. */
function convolveDirect(x: Float64Array, g: Float64Array, out: Float64Array): void {
  const h = (g.length - 1) / 2;
  for (let c = 0; c < x.length; c++) {
    let v = 0;
    const k0 = Math.max(0, c + h - (x.length - 1));
    const k1 = Math.min(g.length - 1, c + h);
    for (let k = k0; k <= k1; k++) v += x[c + h - k] * g[k];
    out[c] = v;
  }
}

/**
 * FFT convolution with fft.js ("same" size, kernel centred); buffers preallocated once per
 * kernel, so each call allocates nothing. The candidate for a shift-invariant response.
 */
export function fftConvolver(g: Float64Array): (x: Float64Array, out: Float64Array) => void {
  let size = 1;
  while (size < N + g.length) size *= 2;
  const f = new FFT(size);
  const h = (g.length - 1) / 2;
  const padded = new Array<number>(size).fill(0);
  for (let k = 0; k < g.length; k++) padded[k] = g[k];
  const kernel = f.createComplexArray() as number[];
  f.realTransform(kernel, padded);
  f.completeSpectrum(kernel);
  const input = new Array<number>(size).fill(0);
  const spec = f.createComplexArray() as number[];
  const back = f.createComplexArray() as number[];
  return (x, out) => {
    for (let i = 0; i < N; i++) input[i] = x[i];
    f.realTransform(spec, input);
    f.completeSpectrum(spec);
    for (let i = 0; i < size; i++) {
      const re = spec[2 * i] * kernel[2 * i] - spec[2 * i + 1] * kernel[2 * i + 1];
      const im = spec[2 * i] * kernel[2 * i + 1] + spec[2 * i + 1] * kernel[2 * i];
      spec[2 * i] = re;
      spec[2 * i + 1] = im;
    }
    f.inverseTransform(back, spec);
    for (let c = 0; c < N; c++) out[c] = back[2 * (c + h)];
  };
}

/** Runs the benchmark. */
export async function run(): Promise<void> {
  console.log('\n## fft: Gaussian detector-response convolution of a 4096-channel spectrum');
  const x = new Float64Array(N);
  for (let c = 0; c < N; c++) x[c] = 100 * Math.exp(-c / 900) + (c % 97 === 0 ? 5000 : 0);
  const a = new Float64Array(N);
  const b = new Float64Array(N);
  for (const taps of [41, 91, 201, 401, 1601]) {
    const g = gaussianKernel(taps);
    const conv = fftConvolver(g);
    convolveDirect(x, g, a);
    conv(x, b);
    let err = 0;
    for (let c = 0; c < N; c++) err = Math.max(err, Math.abs(a[c] - b[c]));
    if (err > 1e-6 * 5000) throw new Error(`FFT and direct convolution differ by ${err}`);
    const direct = timeIt(() => convolveDirect(x, g, a));
    report(`direct, ${taps} taps`, direct);
    report(
      `fft.js, ${taps} taps`,
      timeIt(() => conv(x, b)),
      {
        name: 'direct',
        t: direct,
      },
    );
  }
  // What the simulator does: an energy-dependent kernel (σ(E), Si escape peak, tail, shelf) on
  // groups of 4 channels — not a shift-invariant convolution, so an FFT does not apply as is.
  const inst = defaultInstrument();
  const r = createDetectorResponse(inst.detector, inst.calibration);
  const cr = createContinuumResponse(r);
  const scratch = new Float64Array(r.nChannels + 1);
  const out = new Float64Array(r.nChannels);
  const xs = x.subarray(0, r.nChannels);
  const fft91 = fftConvolver(gaussianKernel(91));
  const fftT = timeIt(() => fft91(x, b));
  report(
    `cmxrf addContinuumResponse, ${r.nChannels} channels (σ(E) kernel)`,
    timeIt(() => {
      out.fill(0);
      addContinuumResponse(r, cr, xs, out, scratch);
    }),
    { name: 'fft.js 91 taps', t: fftT },
  );
}

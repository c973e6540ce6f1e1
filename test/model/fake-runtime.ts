/**
 * A fake ONNX runtime for the model tests: records the exact feeds of every `run` call and
 * answers with fixed outputs of the right shapes, so that the inputs the quantifier builds can be
 * checked without a network.
 */
import type { OrtLike, OrtSessionLike, OrtTensorLike } from '../../src/model/runtime';

/** One recorded feed: a copy of the tensor's data and its dims. */
export interface RecordedTensor {
  type: string;
  dims: number[];
  data: Float32Array;
}

/** Fixed per-profile outputs of the fake network. */
export interface FakeOutputs {
  /** Surface x0 relative to the window (µm). @default 40 (no second pass) */
  surfaceUm?: number;
  /** Density (g/cm³). @default 2.5 */
  densityGPerCm3?: number;
}

class FakeTensor implements OrtTensorLike {
  readonly dims: readonly number[];
  constructor(
    readonly type: string,
    readonly data: Float32Array,
    dims: readonly number[],
  ) {
    this.dims = [...dims];
  }
}

/**
 * A runtime whose sessions have the given input names and record every `run`'s feeds in
 * `runs` (copies, since the quantifier reuses its buffers).
 */
export function fakeRuntime(
  inputNames: readonly string[],
  outputs: FakeOutputs = {},
): { runtime: OrtLike; runs: Record<string, RecordedTensor>[] } {
  const runs: Record<string, RecordedTensor>[] = [];
  const session: OrtSessionLike = {
    inputNames,
    outputNames: [
      'presence_logit',
      'log10_mass_fraction',
      'density_g_per_cm3',
      'surface_um',
      'setup',
    ],
    run(feeds) {
      const rec: Record<string, RecordedTensor> = {};
      for (const [k, t] of Object.entries(feeds))
        rec[k] = {
          type: t.type,
          dims: [...t.dims],
          data: Float32Array.from(t.data as Float32Array),
        };
      runs.push(rec);
      const b = feeds[inputNames[0]]?.dims[0] ?? 1;
      const full = (n: number, v: number): OrtTensorLike =>
        new FakeTensor('float32', new Float32Array(b * n).fill(v), [b, n]);
      const setup = new Float32Array(b * 6);
      for (let i = 0; i < b; i++) setup.set([1, 5, 11, 25, 0.15, 7], i * 6);
      return Promise.resolve({
        presence_logit: full(53, -3),
        log10_mass_fraction: full(53, -2),
        density_g_per_cm3: full(1, outputs.densityGPerCm3 ?? 2.5),
        surface_um: full(1, outputs.surfaceUm ?? 40),
        setup: new FakeTensor('float32', setup, [b, 6]),
      });
    },
  };
  const runtime = {
    Tensor: FakeTensor,
    InferenceSession: { create: () => Promise.resolve(session) },
  } as unknown as OrtLike;
  return { runtime, runs };
}

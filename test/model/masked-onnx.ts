/**
 * A tiny ONNX model with the two inputs of a depth-mask model (`profile [b, 40, 1024]`,
 * `depth_mask [b, 40]`), written here byte by byte (ONNX protobuf) so that tests run the real
 * onnxruntime with two inputs without a trained network. Its outputs echo what it was fed:
 *
 * - `surface_um [b, 1]` = Σ depth_mask (the number of measured steps);
 * - `density_g_per_cm3 [b, 1]` = Σ profile over the steps and channels;
 * - `presence_logit`, `log10_mass_fraction [b, 53]` and `setup [b, 6]` constants.
 *
 * With its card (from the tiny fixture card plus `input.depthMask` and this file's SHA-256) it
 * loads like any model.
 */
import { createHash } from 'node:crypto';
import { tinyCardJson } from './helpers';

/** Protobuf writer: varints, length-delimited fields, nested messages. */
class Pb {
  private readonly bytes: number[] = [];
  private varint(v: number | bigint): void {
    let x = BigInt(v);
    if (x < 0n) x += 1n << 64n;
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x > 0n) b |= 0x80;
      this.bytes.push(b);
    } while (x > 0n);
  }
  int(field: number, v: number | bigint): this {
    this.varint(field << 3);
    this.varint(v);
    return this;
  }
  raw(field: number, data: Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }
  str(field: number, s: string): this {
    return this.raw(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: Pb): this {
    return this.raw(field, m.done());
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const FLOAT = 1;
const INT64 = 7;

function valueInfo(name: string, dims: (number | string)[]): Pb {
  const shape = new Pb();
  for (const d of dims)
    shape.msg(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().str(2, d));
  const tensorType = new Pb().int(1, FLOAT).msg(2, shape);
  return new Pb().str(1, name).msg(2, new Pb().msg(1, tensorType));
}

function floatTensor(name: string, dims: number[], values: number[]): Pb {
  const t = new Pb();
  for (const d of dims) t.int(1, d);
  return t
    .int(2, FLOAT)
    .str(8, name)
    .raw(9, new Uint8Array(Float32Array.from(values).buffer));
}

function int64Tensor(name: string, values: number[]): Pb {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return new Pb()
    .int(1, values.length)
    .int(2, INT64)
    .str(8, name)
    .raw(9, new Uint8Array(data.buffer));
}

function node(op: string, inputs: string[], outputs: string[], attrs: Pb[] = []): Pb {
  const n = new Pb();
  for (const i of inputs) n.str(1, i);
  for (const o of outputs) n.str(2, o);
  n.str(3, `${op}_${outputs[0]}`).str(4, op);
  for (const a of attrs) n.msg(5, a);
  return n;
}

/** `keepdims = 1` attribute (AttributeProto: name 1, i 3, type 20 = INT). */
const keepdims = (): Pb => new Pb().str(1, 'keepdims').int(3, 1).int(20, 2);

/**
 * The ONNX bytes of the echo model (opset 13). `surfaceUmPerStep` scales its surface output:
 * `surface_um` = `surfaceUmPerStep` × Σ depth_mask (default 1, the plain echo).
 */
export function maskedEchoOnnx(nDepth = 40, nChannels = 1024, surfaceUmPerStep = 1): Uint8Array {
  const g = new Pb().str(2, 'masked-echo');
  if (surfaceUmPerStep === 1)
    g.msg(1, node('ReduceSum', ['depth_mask', 'axes1'], ['surface_um'], [keepdims()]));
  else {
    g.msg(1, node('ReduceSum', ['depth_mask', 'axes1'], ['mask_sum'], [keepdims()]));
    g.msg(1, node('Mul', ['mask_sum', 'surface_scale'], ['surface_um']));
    g.msg(5, floatTensor('surface_scale', [1, 1], [surfaceUmPerStep]));
  }
  g.msg(1, node('ReduceSum', ['profile', 'axes12'], ['profile_sum'], [keepdims()]));
  g.msg(1, node('Reshape', ['profile_sum', 'shape_b1'], ['density_g_per_cm3']));
  g.msg(1, node('Mul', ['surface_um', 'zero'], ['zeros_b1']));
  g.msg(1, node('Add', ['zeros_b1', 'logits'], ['presence_logit']));
  g.msg(1, node('Add', ['zeros_b1', 'log10w'], ['log10_mass_fraction']));
  g.msg(1, node('Add', ['zeros_b1', 'setup_c'], ['setup']));
  g.msg(5, int64Tensor('axes1', [1]));
  g.msg(5, int64Tensor('axes12', [1, 2]));
  g.msg(5, int64Tensor('shape_b1', [-1, 1]));
  g.msg(5, floatTensor('zero', [1, 1], [0]));
  g.msg(5, floatTensor('logits', [1, 53], new Array<number>(53).fill(-3)));
  g.msg(5, floatTensor('log10w', [1, 53], new Array<number>(53).fill(-2)));
  g.msg(5, floatTensor('setup_c', [1, 6], [1, 5, 11, 25, 0.15, 7]));
  g.msg(11, valueInfo('profile', ['batch', nDepth, nChannels]));
  g.msg(11, valueInfo('depth_mask', ['batch', nDepth]));
  // Graph outputs: density is reshaped to [b, 1] (ReduceSum over two axes keeps [b, 1, 1]).
  g.msg(12, valueInfo('presence_logit', ['batch', 53]));
  g.msg(12, valueInfo('log10_mass_fraction', ['batch', 53]));
  g.msg(12, valueInfo('density_g_per_cm3', ['batch', 1]));
  g.msg(12, valueInfo('surface_um', ['batch', 1]));
  g.msg(12, valueInfo('setup', ['batch', 6]));
  return new Pb()
    .int(1, 8) // ir_version
    .str(2, 'cmxrf-test')
    .msg(7, g)
    .msg(8, new Pb().str(1, '').int(2, 13))
    .done();
}

/** The card of {@link maskedEchoOnnx}: the tiny card with `input.depthMask` and this SHA-256. */
export function maskedEchoCard(
  onnx: Uint8Array,
  file = 'cmxrf-masked-echo.onnx',
): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const c = tinyCardJson() as Record<string, any>;
  c.name = 'cmxrf-masked-echo';
  c.onnx = {
    file,
    sha256: createHash('sha256').update(onnx).digest('hex'),
    opset: 13,
    sizeBytes: onnx.length,
  };
  c.input.depthMask = {
    name: 'depth_mask',
    shape: ['batch', 40],
    dtype: 'float32',
    minSteps: 10,
    minMaterialUm: 25,
  };
  delete c.parity;
  return c;
}

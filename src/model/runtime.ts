/**
 * The ONNX runtime as a structural contract, passed in by the host: `onnxruntime-node`,
 * `onnxruntime-web` (or anything with the same `Tensor` and `InferenceSession.create`) satisfies
 * it. cmxrf depends on neither package at run time and never uses `instanceof Tensor`.
 *
 * @see https://onnxruntime.ai/docs/api/js/ (onnxruntime-common: `InferenceSession`, `Tensor`)
 * @module
 */

/** The part of an onnxruntime `Tensor` that cmxrf reads. */
export interface OrtTensorLike {
  /** Tensor shape. */
  readonly dims: readonly number[];
  /** Element type, e.g. `'float32'`. */
  readonly type: string;
  /** Element data; a `Float32Array` for `'float32'` tensors. */
  readonly data: unknown;
}

/** Constructor of float32 tensors: `new Tensor('float32', data, dims)`. */
export interface OrtTensorConstructorLike {
  new (type: 'float32', data: Float32Array, dims: readonly number[]): OrtTensorLike;
}

/** The part of an onnxruntime `InferenceSession` that cmxrf uses. */
export interface OrtSessionLike {
  /** Names of the model inputs. */
  readonly inputNames: readonly string[];
  /** Names of the model outputs. */
  readonly outputNames: readonly string[];
  /** Runs the model on named input tensors and resolves to named output tensors. */
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  /** Frees the native resources of the session, where the runtime supports it. */
  release?(): Promise<void>;
}

/**
 * Minimal structural type of an ONNX runtime module (`import * as ort from 'onnxruntime-node'`
 * or `'onnxruntime-web'`).
 */
export interface OrtLike {
  /** Float32 tensor constructor. */
  Tensor: OrtTensorConstructorLike;
  /** Session factory. */
  InferenceSession: {
    /** Creates a session from the bytes of an ONNX model. */
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSessionLike>;
  };
}

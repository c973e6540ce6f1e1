/**
 * Minimal NumPy `.npy` (format 1.0) writer and header reader for little-endian float32 arrays.
 *
 * @see https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 * @module
 */
import { ParseError } from '../errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Bytes of the `.npy` v1.0 header for a C-order `<f4` array of `shape` (padded to 64 bytes). */
export function npyHeader(shape: readonly number[], descr: '<f4' | '<f8' = '<f4'): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1;
  dict += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(MAGIC.length + 4 + dict.length);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  return out;
}

/** Parsed `.npy` header. */
export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
}

/**
 * Reads the header of a `.npy` file.
 * @throws {@link ParseError} naming the file and what is wrong.
 */
export function readNpyHeader(bytes: Uint8Array, fileName = '<npy>'): NpyHeader {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i])
      throw new ParseError({ file: fileName, field: 'magic' }, '\\x93NUMPY', 'other bytes');
  }
  const major = bytes[6];
  const lenBytes = major === 1 ? 2 : 4;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = lenBytes === 2 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = 8 + lenBytes;
  const text = new TextDecoder('latin1').decode(bytes.subarray(start, start + len));
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new ParseError(
      { file: fileName, field: 'header' },
      "a dict with 'descr', 'fortran_order', 'shape'",
      JSON.stringify(text),
    );
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: start + len };
}

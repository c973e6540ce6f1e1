/**
 * SHA-256 of model bytes with the Web Crypto API (`crypto.subtle`, in browsers, Deno and
 * Node ≥ 20). The Node loader hashes with `node:crypto` instead.
 *
 * @module
 */
import { ModelIntegrityError, ModelNotAvailableError } from './errors';

/** Lower-case hex SHA-256 of `bytes` via `crypto.subtle`. */
export async function sha256HexWebCrypto(bytes: Uint8Array): Promise<string> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) {
    throw new ModelNotAvailableError(
      'crypto.subtle',
      'Cannot verify the model SHA-256: crypto.subtle is not available (browsers expose it only ' +
        'in secure contexts, https or localhost). Serve the page securely, or pass ' +
        'verifySha256: false after checking the bytes yourself.',
    );
  }
  const digest = await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

/** Throws {@link ModelIntegrityError} unless `actual` equals `expected`. */
export function assertSha256(file: string, expected: string, actual: string): void {
  if (actual !== expected.toLowerCase()) throw new ModelIntegrityError(file, expected, actual);
}

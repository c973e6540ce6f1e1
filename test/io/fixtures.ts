import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../fixtures/io/', import.meta.url));

/** Raw bytes of a fixture under test/fixtures/io/. */
export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(root + path));
}

/** A fixture decoded as UTF-8 (BOM kept). */
export function fixtureText(path: string): string {
  return readFileSync(root + path, 'utf8');
}

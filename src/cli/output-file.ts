/**
 * Writing a CLI output file whole or not at all.
 *
 * @module
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CmxrfError } from '../errors';
import { describeSystemError } from './context';

/**
 * Writes `text` to `path` through a temporary file in the same folder and a rename, so that an
 * interrupted or failed write never leaves a partial file that looks complete.
 *
 * @param what - What is written, for the error message (e.g. "the output", "the report").
 * @throws {CmxrfError} `IO_ERROR` naming the path and the cause (a missing folder by name).
 */
export async function writeOutputFile(path: string, text: string, what: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new CmxrfError(
      'IO_ERROR',
      `${path}: cannot write ${what}: ${
        (e as { code?: string }).code === 'ENOENT'
          ? `the folder ${dirname(path)} does not exist`
          : (describeSystemError(e) ?? String(e))
      }`,
      { cause: e },
    );
  }
}

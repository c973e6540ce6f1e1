/**
 * Node-only helpers that read spectrum files from disk for {@link depthProfileFromFiles}:
 * a folder, a glob (`*`, `?` in the last path component) or a list of paths. `node:fs` and
 * `node:path` are imported at run time, so browser bundles of `cmxrf/io` do not pull them in.
 *
 * @module
 */
import { CmxrfError } from '../errors';
import type { DepthProfile } from '../profile';
import {
  type DepthProfileFromFilesOptions,
  type SpectrumFile,
  depthProfileFromFiles,
} from './depth-profile-from-files';
import { sniffSpectrumFormat } from './spectrum-auto';

type Fs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

/** `import(specifier)` that bundlers leave alone (see src/model/node.ts). */
function importAtRunTime<T>(specifier: string): Promise<T> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<T>;
}

/** Result of {@link readSpectrumFiles}. */
export interface ReadSpectrumFilesResult {
  /** The spectrum files found, sorted by path. */
  files: SpectrumFile[];
  /** Files of a folder or glob that were skipped because no spectrum format was recognised. */
  skipped: string[];
}

function ioError(path: string, e: unknown): CmxrfError {
  const code = (e as { code?: string }).code;
  return new CmxrfError(
    'IO_ERROR',
    `${path}: cannot read${code === 'ENOENT' ? ': no such file or folder' : `: ${String(e)}`}`,
    { cause: e },
  );
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += '[^/\\\\]*';
    else if (ch === '?') re += '[^/\\\\]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Reads the spectrum files named by `paths`: each entry is a file (always kept: a file that
 * is not a spectrum fails later with a ParseError naming it), a folder (its regular files whose
 * content is a recognised spectrum format; others are listed in `skipped`), or a glob with `*`
 * / `?` in its last component (matched like a folder's files).
 *
 * @throws {CmxrfError} `IO_ERROR` for a path that cannot be read, or a folder/glob without
 *   any spectrum file.
 *
 * @example
 * ```ts
 * import { readSpectrumFiles, depthProfileFromFiles } from 'cmxrf/io';
 * // one .spx per stage position, e.g. an M4 Tornado z scan exported position by position
 * const { files, skipped } = await readSpectrumFiles('scan/*.spx');
 * const profile = depthProfileFromFiles(files);
 * ```
 */
export async function readSpectrumFiles(
  paths: string | readonly string[],
): Promise<ReadSpectrumFilesResult> {
  const fs = await importAtRunTime<Fs>('node:fs/promises');
  const path = await importAtRunTime<NodePath>('node:path');
  const list = typeof paths === 'string' ? [paths] : paths;
  const files: SpectrumFile[] = [];
  const skipped: string[] = [];
  const readFile = async (p: string): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await fs.readFile(p));
    } catch (e) {
      throw ioError(p, e);
    }
  };
  const addMatching = async (dir: string, match: (name: string) => boolean, label: string) => {
    let names: string[];
    try {
      const dirents = await fs.readdir(dir, { withFileTypes: true });
      names = dirents.filter((d) => d.isFile() && match(d.name)).map((d) => d.name);
    } catch (e) {
      throw ioError(dir, e);
    }
    let found = 0;
    for (const name of names.sort()) {
      const p = path.join(dir, name);
      const bytes = await readFile(p);
      if (sniffSpectrumFormat(bytes) === undefined) skipped.push(p);
      else {
        files.push({ fileName: p, bytes });
        found++;
      }
    }
    if (found === 0) {
      throw new CmxrfError(
        'IO_ERROR',
        `${label}: no spectrum file (EMSA/MSA, Bruker .spx, XMI-MSIM .xmso, ASCII .spe) found`,
      );
    }
  };
  for (const p of list) {
    const base = path.basename(p);
    if (/[*?]/.test(base)) {
      const re = globToRegExp(base);
      await addMatching(path.dirname(p), (n) => re.test(n), p);
      continue;
    }
    let isDir: boolean;
    try {
      isDir = (await fs.stat(p)).isDirectory();
    } catch (e) {
      throw ioError(p, e);
    }
    if (isDir) await addMatching(p, (n) => !n.startsWith('.'), p);
    else files.push({ fileName: p, bytes: await readFile(p) });
  }
  return { files, skipped };
}

/**
 * Reads a folder, glob or list of single-spectrum files as one depth profile (Node):
 * {@link readSpectrumFiles} then {@link depthProfileFromFiles}. Skipped files of a folder are
 * listed in the profile's `notes`.
 *
 * @throws {CmxrfError} `IO_ERROR` for unreadable paths; `ParseError` naming the offending file
 *   for the checks of {@link depthProfileFromFiles}.
 * @example
 * ```ts
 * const profile = await readDepthProfileFromPaths('scans/Cu_foil_z*.spx');
 * ```
 */
export async function readDepthProfileFromPaths(
  paths: string | readonly string[],
  options: DepthProfileFromFilesOptions = {},
): Promise<DepthProfile> {
  const { files, skipped } = await readSpectrumFiles(paths);
  const profile = depthProfileFromFiles(files, options);
  if (skipped.length > 0) {
    (profile.notes ??= []).push(
      `skipped ${skipped.length} file(s) that are not spectra: ${skipped.join(', ')}`,
    );
  }
  return profile;
}

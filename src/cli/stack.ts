/**
 * Inputs of `cmxrf quantify` made of several one-spectrum files: a folder argument, or all
 * arguments with `--stack` (files, folders or globs). They are read into one depth profile,
 * ordered by the stage position of each file (see `readDepthProfileFromPaths`).
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { readDepthProfileFromPaths } from '../io/node';
import type { ScanAxis } from '../io/types';
import type { DepthProfile } from '../profile';

/** The CLI options that apply to a stack. */
export interface StackCliOptions {
  scanAxis?: ScanAxis;
  invertAxis?: boolean;
  /** `--live-time-s` (preferred) or `--live-time`. */
  liveTimeS?: number;
  liveTime?: number;
}

/** True if `path` is a folder (false when it is anything else or does not exist). */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The name under which a stack is reported (its single argument, or the arguments joined). */
export function stackLabel(paths: readonly string[]): string {
  return paths.length === 1 ? paths[0] : paths.join(' ');
}

/** Reads the files named by `paths` (files, folders, globs) as one depth profile. */
export function readStackProfile(
  paths: readonly string[],
  o: StackCliOptions,
): Promise<DepthProfile> {
  return readDepthProfileFromPaths(paths, {
    scanAxis: o.scanAxis,
    invertAxis: o.invertAxis,
    liveTimeS: o.liveTimeS ?? o.liveTime,
  });
}

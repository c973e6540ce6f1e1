/**
 * Inputs of `cmxrf quantify` made of several one-spectrum files: a folder argument, or all
 * arguments with `--series`/`--stack` (files, folders or globs). They are read into one depth
 * profile, ordered by the stage position of each file (see `readDepthProfileFromPaths`).
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import type { BrukerStageUnit } from '../io/bruker-spx';
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
  /** `--stage-unit`: unit of stage positions stored without one. */
  stageUnit?: BrukerStageUnit;
  /** Positions (µm), one per file in the order given, instead of the files' stage positions. */
  depthsUm?: ArrayLike<number>;
  /** Name of the profile in messages and results. */
  source?: string;
}

/** True if `path` is a folder (false when it is anything else or does not exist). */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
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
    stageUnit: o.stageUnit,
    depthsUm: o.depthsUm,
    source: o.source,
  });
}

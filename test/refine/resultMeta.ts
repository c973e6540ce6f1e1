/**
 * The scan/window facts of a `QuantificationResult` for a profile whose whole scan is the model
 * window (what `quantify` reports for an in-distribution 5 µm scan), for hand-made results.
 */
import type { QuantificationResult } from '../../src/model/result';

export function resultMeta(
  depthsUm: ArrayLike<number>,
): Pick<QuantificationResult, 'warnings' | 'scan' | 'window' | 'intensityConvention'> {
  const n = depthsUm.length;
  const first = depthsUm[0];
  const last = depthsUm[n - 1];
  const step = (last - first) / (n - 1);
  return {
    warnings: [],
    scan: {
      nSteps: n,
      firstUm: first,
      lastUm: last,
      medianStepUm: step,
      minStepUm: step,
      maxStepUm: step,
      surfaceEdgeUm: first,
      peakTotalRateCps: 0,
    },
    window: {
      startUm: first,
      endUm: last,
      stepUm: step,
      nSteps: n,
      firstStep: 0,
      lastStep: n - 1,
      passes: 1,
    },
    intensityConvention: 'per-step',
  };
}

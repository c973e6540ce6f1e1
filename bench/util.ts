/** Benchmark helpers: time a function repeatedly and report the median per call. */

/** Result of {@link timeIt}. */
export interface Timing {
  /** Median time per call (µs). */
  medianUs: number;
  /** Number of timed calls. */
  calls: number;
  /**
   * Median process CPU time per call (µs), where measured: on a machine shared with other jobs
   * the wall-clock time also counts the time the process waits for a core, and only the CPU time
   * gives stable ratios.
   */
  cpuMedianUs?: number;
}

/**
 * Calls `fn` repeatedly (after a warm-up) for at least `minMs` and returns the median time per
 * call, measured in batches so that timer resolution does not matter.
 */
export function timeIt(fn: () => unknown, minMs = 300): Timing {
  for (let i = 0; i < 3; i++) fn();
  // Choose a batch size that takes ≥ 2 ms.
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - t0 >= 2 || batch >= 1 << 20) break;
    batch *= 2;
  }
  const samples: number[] = [];
  const cpu: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || samples.length < 5) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < batch; i++) fn();
    const c = process.cpuUsage(c0);
    samples.push(((performance.now() - t0) * 1000) / batch);
    cpu.push((c.user + c.system) / batch);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    medianUs: samples[Math.floor(samples.length / 2)],
    calls: samples.length * batch,
    cpuMedianUs: cpu[Math.floor(cpu.length / 2)],
  };
}

/** Prints one benchmark line: name, time, and ratio to a baseline measured in the same run. */
export function report(name: string, t: Timing, baseline?: { name: string; t: Timing }): void {
  const us = t.medianUs;
  const time = us >= 1000 ? `${(us / 1000).toFixed(3)} ms` : `${us.toFixed(2)} µs`;
  const ratio = baseline
    ? `  (${(baseline.t.medianUs / us).toFixed(1)}× faster than ${baseline.name}, ${
        baseline.t.medianUs >= 1000
          ? `${(baseline.t.medianUs / 1000).toFixed(3)} ms`
          : `${baseline.t.medianUs.toFixed(2)} µs`
      })`
    : '';
  console.log(`${name.padEnd(60)} ${time.padStart(12)}/call${ratio}`);
  if (t.cpuMedianUs !== undefined && baseline?.t.cpuMedianUs !== undefined) {
    const c = t.cpuMedianUs;
    const cb = baseline.t.cpuMedianUs;
    console.log(
      `${''.padEnd(60)} ${fmtUs(c).padStart(12)}/call CPU  (${(cb / c).toFixed(2)}× faster than ${baseline.name} by CPU time, ${fmtUs(cb)})`,
    );
  }
}

const fmtUs = (us: number): string =>
  us >= 1000 ? `${(us / 1000).toFixed(3)} ms` : `${us.toFixed(2)} µs`;

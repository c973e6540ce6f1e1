/**
 * Progress display for long CLI jobs: a redrawn bar with rate and ETA on a terminal, plain
 * periodic lines otherwise (logs, CI).
 *
 * @module
 */
import type { CliIo } from './context.js';

/** Formats seconds as `1h02m03s` / `2m03s` / `3s`. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s`
    : m > 0
      ? `${m}m${String(sec).padStart(2, '0')}s`
      : `${sec}s`;
}

/** A progress reporter: `update(done, total, ratePerS)` then `finish(message)`. */
export interface ProgressReporter {
  update(done: number, total: number, ratePerS: number): void;
  finish(message: string): void;
}

/**
 * Creates a reporter writing to stderr: a bar on a TTY (redrawn at most every 100 ms), else one
 * line every `intervalS` seconds.
 */
export function createProgress(
  io: CliIo,
  label: string,
  options: { tty?: boolean; intervalS?: number } = {},
): ProgressReporter {
  const tty = options.tty ?? io.stderrIsTTY;
  const interval = (options.intervalS ?? 10) * 1000;
  let last = 0;
  return {
    update(done, total, rate) {
      const now = Date.now();
      if (now - last < (tty ? 100 : interval)) return;
      last = now;
      const eta = rate > 0 ? (total - done) / rate : Infinity;
      const pct = total > 0 ? (100 * done) / total : 100;
      if (tty) {
        const width = 30;
        const full = Math.round((width * done) / Math.max(total, 1));
        io.stderr(
          `\r${label} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${done}/${total} ${pct.toFixed(1)}% ${rate.toFixed(0)}/s ETA ${formatDuration(eta)}   `,
        );
      } else {
        io.stderr(
          `${label}: ${done}/${total} (${pct.toFixed(1)}%), ${rate.toFixed(0)}/s, ETA ${formatDuration(eta)}\n`,
        );
      }
    },
    finish(message) {
      io.stderr(`${tty ? '\r\x1b[K' : ''}${message}\n`);
    },
  };
}

/**
 * What the CLI commands need from the outside world, injectable for tests: output streams,
 * whether stderr is a terminal, and file reading.
 *
 * @module
 */

/** I/O of the CLI. */
export interface CliIo {
  /** Writes to standard output (text as is, no newline added). */
  stdout(text: string): void;
  /** Writes to standard error (text as is, no newline added). */
  stderr(text: string): void;
  /** Whether standard error is a terminal (progress is shown only then, or with --progress). */
  stderrIsTTY: boolean;
  /** Reads a file's bytes. */
  readFile(path: string): Promise<Uint8Array>;
}

/** The CLI I/O of this process. */
export async function processIo(): Promise<CliIo> {
  const { readFile } = await import('node:fs/promises');
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    readFile: async (p) => new Uint8Array(await readFile(p)),
  };
}

/** Exit codes of the `cmxrf` command. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** A runtime error: unreadable or malformed file, missing model, profile not representable … */
  runtime: 1,
  /** A usage error: unknown command or option, missing or invalid argument. */
  usage: 2,
} as const;

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
  /** Size of a file in bytes (checked against size limits before reading), where available. */
  fileSize?(path: string): Promise<number>;
}

/**
 * Writes `text` to a stream unless it has been closed by its reader (EPIPE, e.g. `| head`):
 * output that nobody reads is dropped instead of crashing the process with a stack trace.
 */
function guardedStream(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    // A closed pipe ends the output quietly; any other stream error too (there is no one
    // left to tell), but it makes the exit code 1.
    closed = true;
    if (e.code !== 'EPIPE') process.exitCode = EXIT.runtime;
  });
  return (text) => {
    if (closed || stream.destroyed) return;
    stream.write(text);
  };
}

/** The CLI I/O of this process. */
export async function processIo(): Promise<CliIo> {
  const { readFile, stat } = await import('node:fs/promises');
  return {
    stdout: guardedStream(process.stdout),
    stderr: guardedStream(process.stderr),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    readFile: async (p) => new Uint8Array(await readFile(p)),
    fileSize: async (p) => (await stat(p)).size,
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

/**
 * Thrown by a command that has already reported its errors (e.g. the bad files of a batch whose
 * good files were processed) to end with `exitCode` without a further message.
 */
export class CliExit extends Error {
  /** The process exit code. */
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
    this.exitCode = exitCode;
  }
}

/**
 * A one-line message for an error thrown outside cmxrf's own typed errors, or `undefined` for a
 * programming error (which deserves its stack): Node system errors (file not found, permission
 * denied, a directory given as a file, disk full …) and allocation failures.
 */
export function describeSystemError(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const sys = e as NodeJS.ErrnoException;
  if (typeof sys.code === 'string' && /^E[A-Z]+$/.test(sys.code)) {
    const what: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EISDIR: 'is a directory',
      ENOTDIR: 'a component of the path is not a directory',
      ENOSPC: 'no space left on the device',
      EROFS: 'read-only file system',
      EMFILE: 'too many open files',
    };
    const path = sys.path ?? (sys as { dest?: string }).dest;
    return `${path !== undefined ? `${path}: ` : ''}${sys.syscall ? `cannot ${sys.syscall}: ` : ''}${what[sys.code] ?? sys.message} (${sys.code})`;
  }
  if (
    e instanceof RangeError &&
    /allocation failed|Invalid typed array length|Array buffer|Invalid array length|Invalid string length/i.test(
      e.message,
    )
  )
    return `out of memory: ${e.message}. The input is too large; limit it with --max-steps or --max-file-mib, or split it.`;
  return undefined;
}

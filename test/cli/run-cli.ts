/** Shared by the CLI tests: runs `cmxrf` in-process with captured output and real file access. */
import { readFile, stat } from 'node:fs/promises';
import type { CliIo } from '../../src/cli/context';
import { runCli } from '../../src/cli/program';

/** Exit code, stdout and stderr of one `cmxrf …` invocation. */
export async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stderrIsTTY: false,
    readFile: async (p) => new Uint8Array(await readFile(p)),
    fileSize: async (p) => (await stat(p)).size,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

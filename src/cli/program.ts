/**
 * The `cmxrf` command-line program: commander setup, command registration, and the mapping of
 * errors to messages and exit codes (0 ok, 1 runtime error, 2 usage error).
 *
 * @module
 */
import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { CmxrfError } from '../errors';
import { COMMANDS } from './commands/index';
import { type CliIo, CliExit, EXIT, describeSystemError, processIo } from './context';

/** Version printed by `cmxrf --version`. */
export const CLI_VERSION: string = pkg.version;

/** Builds the commander program with every registered command, writing through `io`. */
export function createProgram(io: CliIo): Command {
  const program = new Command('cmxrf')
    .description('Quantitative confocal micro-XRF: quantify depth profiles with the cmxrf network.')
    .version(CLI_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 ok, 1 runtime error (file, model, data), 2 usage error.',
        '',
        'Examples:',
        '  $ cmxrf quantify scan.csv',
        '  $ cmxrf quantify --format json --model models/cmxrf-default.json a.msa b.msa',
        '  $ cmxrf info',
        '  $ cmxrf help quantify',
      ].join('\n'),
    );
  for (const c of COMMANDS) c.register(program, io);
  return program;
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves to the exit code.
 * Never calls `process.exit`.
 */
export async function runCli(argv: readonly string[], io?: CliIo): Promise<number> {
  const cio = io ?? (await processIo());
  const program = createProgram(cio);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit with 0; every other commander error is a usage error (already printed).
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliExit) return e.exitCode;
    if (e instanceof CmxrfError) {
      cio.stderr(`cmxrf: error: ${e.message}\n`);
      return EXIT.runtime;
    }
    const system = describeSystemError(e);
    if (system !== undefined) {
      cio.stderr(`cmxrf: error: ${system}\n`);
      return EXIT.runtime;
    }
    cio.stderr(
      `cmxrf: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return EXIT.runtime;
  }
}

/**
 * The registration hook of CLI commands: each command is a module that adds itself to the
 * commander program. Commands are listed in `./index.ts`.
 *
 * @module
 */
import type { Command } from 'commander';
import type { CliIo } from '../context';

/** A `cmxrf` sub-command. */
export interface CliCommand {
  /** Command name, e.g. `'quantify'`. */
  name: string;
  /**
   * Adds the command to `program` (`program.command(name)…action(…)`). Actions throw
   * `CmxrfError`s for runtime errors (exit code 1); usage errors go through commander
   * (`command.error`, argument parsers), which the program maps to exit code 2.
   */
  register(program: Command, io: CliIo): void;
}

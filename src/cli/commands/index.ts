/**
 * The commands of `cmxrf`, in help order. To add one, write `./<name>.ts` exporting a
 * {@link CliCommand} and list it here (`simulate` and `transform` belong here).
 *
 * @module
 */
import { calibrateCommand } from './calibrate';
import { infoCommand } from './info';
import { quantifyCommand } from './quantify';
import { simulateCommand } from './simulate.js';
import { transformCommand } from './transform.js';
import type { CliCommand } from './types';

export type { CliCommand } from './types';

/** All registered commands. */
export const COMMANDS: readonly CliCommand[] = [
  quantifyCommand,
  infoCommand,
  simulateCommand,
  transformCommand,
  calibrateCommand,
];

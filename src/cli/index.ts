/**
 * Entry point of the `cmxrf` bin (built to `dist/cli.js` with a shebang; in development
 * `npx tsx src/cli/index.ts …`).
 *
 * @module
 */
import { runCli } from './program';

process.exitCode = await runCli(process.argv.slice(2));

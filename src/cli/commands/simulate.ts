/**
 * `cmxrf simulate`: generate a training dataset (docs/dataset-format.md) on all cores.
 *
 * @module
 */
import { type Command, InvalidArgumentError as CommanderArgError } from 'commander';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseReferenceCompositions } from '../../dataset/compositions.js';
import { generateDataset } from '../../dataset/generate.js';
import { CmxrfError, InvalidArgumentError, ParseError } from '../../errors.js';
import { parseInstrumentDescription } from '../../instrument/description.js';
import { parseInstrumentRanges } from '../../instrument/ranges.js';
import type { CliIo } from '../context.js';
import { createProgress, formatDuration } from '../progress.js';
import type { CliCommand } from './types.js';

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new CommanderArgError(`${name} must be a positive integer, got "${v}"`);
  return n;
};
const nonNegativeInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new CommanderArgError(`${name} must be an integer ≥ 0, got "${v}"`);
  return n;
};

/** Reads and parses a JSON file named on the command line (typed errors naming the file). */
const readJson = (path: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CmxrfError('IO_ERROR', `${path}: cannot read: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ParseError({ file: path }, 'valid JSON', (e as Error).message);
  }
};

/** The `simulate` command. */
export const simulateCommand: CliCommand = {
  name: 'simulate',
  register(program: Command, io: CliIo): void {
    program
      .command('simulate')
      .description('generate simulated CMXRF depth profiles + labels as .npy shards (resumable)')
      .requiredOption('-n, --count <n>', 'number of profiles', positiveInt('--count'))
      .requiredOption('-s, --seed <seed>', 'seed (same seed and count ⇒ byte-identical shards)')
      .requiredOption('-o, --out <dir>', 'output directory (rerun to resume)')
      .option(
        '-w, --workers <n>',
        'worker threads (0 = in-process)',
        nonNegativeInt('--workers'),
        availableParallelism(),
      )
      .option(
        '--shard-size <n>',
        'profiles per shard (default 512; with --randomize, the instrument block size)',
        positiveInt('--shard-size'),
      )
      .option('--instrument <file>', 'instrument description JSON (default: the M4 Tornado class)')
      .option(
        '--randomize <file>',
        'randomization ranges JSON around --instrument (domain randomization)',
      )
      .option(
        '--compositions <file>',
        'fixed compositions JSON (held-out sets) instead of the prior',
      )
      .addHelpText(
        'after',
        '\nExamples:\n  $ cmxrf simulate --count 22080 --seed 1 --out data/train\n' +
          '  $ cmxrf simulate -n 2048 -s test-1 -o data/test --workers 2 --shard-size 256\n' +
          '  $ cmxrf simulate -n 160000 -s train-3 -o data/train --instrument instruments/m4-tornado.json \\\n' +
          '      --randomize instruments/m4-tornado.ranges.json\n' +
          '\nOutput: shard-NNNNN.{profiles,labels}.npy, .samples.json, .done.json and manifest.json (see docs/dataset-format.md).',
      )
      .action(
        async (o: {
          count: number;
          seed: string;
          out: string;
          workers: number;
          shardSize?: number;
          instrument?: string;
          randomize?: string;
          compositions?: string;
        }) => {
          const seed = /^-?\d+$/.test(o.seed) ? Number(o.seed) : o.seed;
          if (o.randomize && !o.instrument)
            throw new InvalidArgumentError(
              '--randomize needs --instrument (the nominal instrument the ranges are drawn around)',
            );
          const description = o.instrument
            ? parseInstrumentDescription(readJson(o.instrument), o.instrument)
            : undefined;
          const ranges =
            o.randomize && description
              ? parseInstrumentRanges(readJson(o.randomize), description, o.randomize)
              : undefined;
          const compositions = o.compositions
            ? parseReferenceCompositions(readJson(o.compositions), o.compositions).compositions
            : undefined;
          // A redrawn bar on a terminal, a plain line every 10 s otherwise.
          const bar = createProgress(io, 'simulate');
          const m = await generateDataset({
            outDir: o.out,
            count: o.count,
            seed,
            workers: o.workers,
            ...(o.shardSize !== undefined ? { shardSize: o.shardSize } : {}),
            ...(description ? { instrumentDescription: description } : {}),
            ...(ranges ? { instrumentRanges: ranges } : {}),
            ...(compositions ? { compositions } : {}),
            onProgress: (p) => {
              if (p.status === 'progress') bar.update(p.done, p.total, p.ratePerS);
              else if (p.status === 'done')
                bar.finish(
                  `simulate: ${p.generated} profiles generated, ${p.skipped} already complete, in ${formatDuration(p.elapsedS)}`,
                );
            },
          });
          io.stdout(
            `${o.out}/manifest.json: ${m.count} profiles in ${m.shards.length} shards (seed ${String(m.seed)})\n`,
          );
        },
      );
  },
};

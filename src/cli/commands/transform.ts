/**
 * `cmxrf transform`: the six-parameter confocal transform of a bulk spectrum file (EMSA/MSA or
 * XMI-MSIM `.xmso`) into a depth profile (CSV, docs/formats.md).
 *
 * @module
 */
import { type Command, InvalidArgumentError as CommanderArgError, Option } from 'commander';
import { CmxrfError, InvalidArgumentError } from '../../errors.js';
import { depthProfileToCsv } from '../../io/depth-profile-csv-writer.js';
import { looksLikeEmsa, parseEmsa } from '../../io/emsa.js';
import { looksLikeXmso, parseXmso } from '../../io/xmso.js';
import type { ConfocalSetup } from '../../profile.js';
import { confocalProfileFromBulkSpectrum } from '../../spectra/confocalFromSpectrum.js';
import { type CliIo, describeSystemError } from '../context.js';
import { writeOutputFile } from '../output-file.js';
import type { CliCommand } from './types.js';

/** Mid-range setup (docs/physics.md §8). */
export const DEFAULT_SETUP: ConfocalSetup = {
  tA: 1,
  tB: 5,
  tM: 11,
  sigmaMaxUm: 25,
  sigmaExpPerKeV: 0.15,
  sigmaOffUm: 7,
};

const finite = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CommanderArgError(`${name} must be a number, got "${v}"`);
  return n;
};

/** Parses `tA,tB,tM,sigmaMaxUm,sigmaExpPerKeV,sigmaOffUm`. */
export function parseSetupOption(v: string): ConfocalSetup {
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 6 || parts.some((x) => !Number.isFinite(x))) {
    throw new CommanderArgError(
      `--setup needs 6 numbers tA,tB,tM,sigmaMaxUm,sigmaExpPerKeV,sigmaOffUm, got "${v}"`,
    );
  }
  const [tA, tB, tM, sigmaMaxUm, sigmaExpPerKeV, sigmaOffUm] = parts;
  return { tA, tB, tM, sigmaMaxUm, sigmaExpPerKeV, sigmaOffUm };
}

/** Parses a composition: a formula (`Fe2O3`) or JSON mass fractions (`{"SiO2":0.7,"CaO":0.3}`). */
export function parseCompositionOption(v: string): string | Record<string, number> {
  const t = v.trim();
  if (!t.startsWith('{')) return t;
  try {
    return JSON.parse(t) as Record<string, number>;
  } catch {
    throw new CommanderArgError(`--composition is neither a formula nor JSON: "${v}"`);
  }
}

/** The `transform` command. */
export const transformCommand: CliCommand = {
  name: 'transform',
  register(program: Command, io: CliIo): void {
    program
      .command('transform')
      .description('confocal depth profile of a bulk spectrum (EMSA/MSA or XMI-MSIM .xmso) → CSV')
      .argument('<spectrum>', 'bulk spectrum file')
      .requiredOption(
        '-c, --composition <material>',
        'formula or JSON mass fractions (0..1)',
        parseCompositionOption,
      )
      .requiredOption('-d, --density <gPerCm3>', 'sample density (g/cm³)', finite('--density'))
      .option('--x0 <um>', 'surface position on the scan axis (µm)', finite('--x0'), 50)
      .option(
        '--setup <list>',
        'tA,tB,tM,sigmaMaxUm,sigmaExpPerKeV,sigmaOffUm',
        parseSetupOption,
        DEFAULT_SETUP,
      )
      .option(
        '--excitation-kev <keV>',
        'one effective excitation energy for μ_in (default: per line from the tube spectrum)',
        finite('--excitation-kev'),
      )
      .option('--live-time-s <s>', 'live time if the file has none (s)', finite('--live-time-s'))
      .addOption(
        new Option('--live-time <s>', 'same as --live-time-s')
          .argParser(finite('--live-time'))
          .hideHelp(),
      )
      .option('-o, --out <file>', 'write the CSV here instead of stdout')
      .addHelpText(
        'after',
        '\nExamples:\n  $ cmxrf transform glass.xmso -c \'{"SiO2":0.7,"Na2O":0.2,"CaO":0.1}\' -d 2.5 --x0 40 -o glass-profile.csv\n' +
          '  $ cmxrf transform fe.msa -c Fe -d 7.87 --setup 1,5,11,25,0.15,7',
      )
      .action(
        async (
          file: string,
          o: {
            composition: string | Record<string, number>;
            density: number;
            x0: number;
            setup: ConfocalSetup;
            excitationKev?: number;
            liveTime?: number;
            liveTimeS?: number;
            out?: string;
          },
        ) => {
          let bytes: Uint8Array;
          try {
            bytes = await io.readFile(file);
          } catch (e) {
            throw new CmxrfError(
              'IO_ERROR',
              `${file}: cannot read the file: ${describeSystemError(e) ?? String(e)}`,
              { cause: e },
            );
          }
          const opts = { fileName: file, liveTimeS: o.liveTimeS ?? o.liveTime };
          const spectrum = looksLikeXmso(bytes)
            ? parseXmso(bytes, opts)
            : looksLikeEmsa(bytes)
              ? parseEmsa(bytes, opts)
              : undefined;
          if (!spectrum)
            throw new InvalidArgumentError(`${file}: not an EMSA/MSA or XMI-MSIM .xmso spectrum.`);
          const profile = confocalProfileFromBulkSpectrum(spectrum, o.setup, o.x0, {
            composition: o.composition,
            densityGPerCm3: o.density,
            excitationKeV: o.excitationKev,
            out: new Float64Array(40 * spectrum.calibration.nChannels),
            source: file,
          });
          for (const note of profile.notes) io.stderr(`note: ${note}\n`);
          const csv = depthProfileToCsv(profile);
          if (o.out) {
            await writeOutputFile(o.out, csv, 'the output');
            io.stderr(`wrote ${o.out} (${profile.nSteps} steps × ${profile.nChannels} channels)\n`);
          } else io.stdout(csv);
        },
      );
  },
};

/**
 * Model loading shared by the commands: `--model <card.json|model.onnx|directory>` or the default
 * model.
 *
 * @module
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CmxrfError } from '../errors';
import { instrumentFromDescription } from '../instrument/convert';
import type { InstrumentDescription } from '../instrument/description';
import type { ModelCard } from '../model/card';
import { defaultModelCardPath, loadDefaultQuantifier, loadQuantifier } from '../model/node';
import type { Quantifier } from '../model/quantifier';
import { defaultInstrument, type Instrument } from '../spectra/instrument';
import { LEGACY_SIMULATOR_PHYSICS, type SimulatorPhysics } from '../spectra/mxrfSimulator';

/**
/**
 * A directory (e.g. the output of `python -m training.pipeline --out models/mine`) stands for
 * its one model card: the `.json` file with an `.onnx` file of the same name beside it.
 */
function resolveModelPath(path: string): string {
  if (!existsSync(path) || !statSync(path).isDirectory()) return path;
  const cards = readdirSync(path).filter(
    (f) => f.endsWith('.json') && existsSync(join(path, f.slice(0, -'.json'.length) + '.onnx')),
  );
  if (cards.length !== 1)
    throw new CmxrfError(
      'MODEL_ERROR',
      `${path}: expected one model card (<name>.json beside <name>.onnx) in the directory, found ${cards.length}${cards.length ? ` (${cards.join(', ')})` : ''}; pass the card file.`,
    );
  return join(path, cards[0]);
}

/**
 * Loads the model named by `--model` (a card file or a directory holding one), or the shipped
 * default model. The default model is loaded once per process and shared, so releasing the
 * returned quantifier leaves it loaded (with `workers`, a quantifier of its own is loaded, whose
 * workers `release()` stops).
 */
export async function loadCliQuantifier(
  modelPath: string | undefined,
  options: { workers?: number } = {},
): Promise<Quantifier> {
  const workers = options.workers ?? 0;
  if (modelPath !== undefined) return loadQuantifier(resolveModelPath(modelPath), { workers });
  if (workers > 0) return loadQuantifier(await defaultModelCardPath(), { workers });
  const shared = await loadDefaultQuantifier();
  return { ...shared, release: async () => undefined };
}

/** Help text of the `--model` option. */
export const MODEL_OPTION_HELP =
  'model card (.json, ONNX file beside it), .onnx file (card: same name, .json), or a directory holding one card and its .onnx; default: the shipped cmxrf-default model';

/**
 * The forward model's instrument for a model card: the instrument its card names (what the
 * network was trained for), else the default instrument with `named: false` (the caller warns).
 */
export function cardInstrument(card: ModelCard): {
  instrument: Instrument;
  name: string;
  named: boolean;
} {
  if (!card.instrument)
    return { instrument: defaultInstrument(), name: 'cmxrf default instrument', named: false };
  const converted = instrumentFromDescription(card.instrument as unknown as InstrumentDescription);
  return { instrument: converted.instrument, name: card.instrument.name, named: true };
}

/**
 * The simulator physics a model was trained on, for a refinement's forward model: the card's
 * `simulator`, or for a card written before it was recorded the physics every model was trained
 * on then ({@link LEGACY_SIMULATOR_PHYSICS}).
 */
export function cardSimulatorPhysics(card: ModelCard): SimulatorPhysics {
  return { ...(card.simulator ?? LEGACY_SIMULATOR_PHYSICS) };
}

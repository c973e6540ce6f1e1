/**
 * Model loading shared by the commands: `--model <card.json|model.onnx>` or the default model.
 *
 * @module
 */
import { loadDefaultQuantifier, loadQuantifier } from '../model/node';
import type { Quantifier } from '../model/quantifier';

/**
 * Loads the model named by `--model`, or the shipped default model. The default model is loaded
 * once per process and shared, so releasing the returned quantifier leaves it loaded.
 */
export async function loadCliQuantifier(modelPath: string | undefined): Promise<Quantifier> {
  if (modelPath !== undefined) return loadQuantifier(modelPath);
  const shared = await loadDefaultQuantifier();
  return { ...shared, release: async () => undefined };
}

/** Help text of the `--model` option. */
export const MODEL_OPTION_HELP =
  'model card (.json, ONNX file beside it) or .onnx file (card: same name, .json); default: the shipped cmxrf-default model';

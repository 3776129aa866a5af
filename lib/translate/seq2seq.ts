/**
 * The loading path for neural MT weights (MADLAD-400, NLLB-200) exported to ONNX, for a machine
 * that has them: no registry package carries them (docs/model-sources.md), so none is installed by
 * voxflow's scripts. An operator who places an export under `<models>/mt/<id>/` is told what was
 * found; this version has no seq2seq decoding loop, so such a model is reported as found but not
 * runnable, and no pair is routed to it until it is implemented and measured (pairs.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineKind } from './engine';

export interface Seq2SeqDescriptor {
  id: string;
  engine: Extract<EngineKind, 'madlad' | 'nllb'>;
  name: string;
}

export const SEQ2SEQ_MODELS: readonly Seq2SeqDescriptor[] = [
  { id: 'madlad400-3b-mt', engine: 'madlad', name: 'MADLAD-400 3B MT (ONNX export)' },
  { id: 'nllb-200-distilled-600m', engine: 'nllb', name: 'NLLB-200 distilled 600M (ONNX export)' },
];

/** Files an ONNX seq2seq export (Hugging Face Optimum layout) must have to be loadable. */
export const SEQ2SEQ_FILES = ['encoder_model.onnx', 'decoder_model_merged.onnx', 'tokenizer.json', 'config.json'];

export interface Seq2SeqStatus extends Seq2SeqDescriptor {
  dir: string;
  /** Every required file is present. */
  weightsFound: boolean;
  missing: string[];
  /** Whether this build can run it (false: no decoding loop yet). */
  runnable: boolean;
  note: string;
}

export const seq2seqDir = (modelsDir: string, id: string) => path.join(modelsDir, 'mt', id);

export function seq2seqStatus(modelsDir: string): Seq2SeqStatus[] {
  return SEQ2SEQ_MODELS.map((m) => {
    const dir = seq2seqDir(modelsDir, m.id);
    const missing = SEQ2SEQ_FILES.filter((f) => !fs.existsSync(path.join(dir, f)));
    const weightsFound = missing.length === 0;
    return {
      ...m,
      dir,
      weightsFound,
      missing,
      runnable: false,
      note: weightsFound
        ? `weights found in ${dir}, but this version has no seq2seq decoder for them: pairs stay on their measured engines`
        : 'not installed (no registry package carries these weights)',
    };
  });
}

export class Seq2SeqUnavailableError extends Error {}

/** What a worker does when asked to load one: says exactly why it cannot (never silently substitutes). */
export function loadSeq2Seq(modelsDir: string, id: string): never {
  const status = seq2seqStatus(modelsDir).find((s) => s.id === id);
  if (!status) throw new Seq2SeqUnavailableError(`unknown translation model '${id}' (known: ${SEQ2SEQ_MODELS.map((m) => m.id).join(', ')})`);
  throw new Seq2SeqUnavailableError(`translation model '${id}': ${status.weightsFound ? status.note : `${status.note}; missing in ${status.dir}: ${status.missing.join(', ')}`}`);
}

/**
 * The translate step (gpu queue): translates the stored text — or, for a batch, the stored JSON
 * array of texts — with the engine the API chose for the pair (lib/translate/pairs.ts): Apertium
 * as a child process (the LLM is never loaded for it), or the worker's LLM. Finished groups of
 * pieces are kept in storage, so a retried attempt resumes; only keys and counts reach the workflow.
 */
import { APERTIUM_MODES, ApertiumTranslator, installedApertiumModes } from '../lib/translate/apertium';
import { PIECE_CHARS, type EngineKind, type TranslationEngine } from '../lib/translate/engine';
import { pairId } from '../lib/translate/languages';
import { LlmTranslator } from '../lib/translate/llm-engine';
import { loadSeq2Seq } from '../lib/translate/seq2seq';
import { translateTexts } from '../lib/translate/translate-texts';
import { ModelNotInstalledError } from '../lib/models/registry';
import type { TextStepSummary } from '../workflows/model';
import { textPartKey } from '../workflows/text-keys';
import type { ActivityDeps } from './deps';
import type { StoredOutput } from './enhance';
import { runTextStep, storedParts, type TextStepContext, type TextStepIo } from './text-step';

export interface TranslateStepInput extends TextStepIo {
  jobId: string;
  source: string;
  target: string;
  engine: EngineKind;
  /** The stored input is a JSON array of texts (POST /v1/translate with `texts`). */
  batch: boolean;
}

export type TranslateStepOutput = StoredOutput & TextStepSummary;

/** The stored result: one translation per input text, in order. */
export interface TranslationDocument {
  translations: string[];
  batch: boolean;
  source_language: string;
  target_language: string;
  engine: EngineKind;
  model: string;
}

/** An engine the API chose is missing on this worker: not retried (another attempt would not find it either). */
export class TranslationEngineNotInstalledError extends ModelNotInstalledError {
  constructor(engine: string, message: string) {
    super(engine, []);
    this.message = message;
  }
}

/** Pieces per stored group: an LLM group is a few generations; Apertium does a whole batch in one call. */
const GROUP_SIZE: Record<EngineKind, number> = { llm: 8, apertium: 512, madlad: 8, nllb: 8 };

export function createTranslateActivity({ config, store, engines }: ActivityDeps) {
  async function engineFor(input: TranslateStepInput, ctx: TextStepContext): Promise<{ engine: TranslationEngine; model: string }> {
    switch (input.engine) {
      case 'apertium': {
        const mode = APERTIUM_MODES[pairId(input.source, input.target)];
        if (!mode || !(await installedApertiumModes(config.translate.apertium)).has(mode)) {
          throw new TranslationEngineNotInstalledError('apertium', `Apertium's ${mode ?? pairId(input.source, input.target)} mode is not installed on this worker: run scripts/models/install-apertium.sh.`);
        }
        return { engine: new ApertiumTranslator(config.translate.apertium), model: `apertium-${mode}` };
      }
      case 'llm': {
        const model = await ctx.llm();
        return { engine: new LlmTranslator(model), model: model.id };
      }
      default:
        try {
          return loadSeq2Seq(config.modelsDir, input.engine);
        } catch (err) {
          throw new TranslationEngineNotInstalledError(input.engine, (err as Error).message);
        }
    }
  }

  return async function translate(input: TranslateStepInput): Promise<TranslateStepOutput> {
    return runTextStep<TranslationDocument>({ store, engines }, input, async (ctx) => {
      const texts = input.batch ? (JSON.parse(ctx.input) as string[]) : [ctx.input];
      const { engine, model } = await engineFor(input, ctx);
      const parts = storedParts<string[]>(store, (i) => textPartKey(input.jobId, 'translate', i));
      const outcome = await translateTexts(engine, texts, input, {
        pieceChars: PIECE_CHARS[input.engine],
        groupSize: GROUP_SIZE[input.engine],
        parts,
        signal: ctx.signal,
        onProgress: ctx.progress,
      });
      return {
        doc: { translations: outcome.translations, batch: input.batch, source_language: input.source, target_language: input.target, engine: input.engine, model },
        summary: { model, style: `${input.source}>${input.target}`, chunks: outcome.groups, promptTokens: outcome.promptTokens, outputTokens: outcome.outputTokens },
      };
    });
  };
}

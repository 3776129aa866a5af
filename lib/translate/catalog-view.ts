/**
 * GET /v1/languages?task=translate: the truth about translation on this installation — every pair
 * served, the engine serving it and its measured chrF beside the other candidates, and which
 * engines are installed (neural MT weights included, reported even though this version cannot run them).
 */
import { WHISPER_LANGUAGES } from '../catalog/languages';
import type { TranslationAvailability } from './availability';
import { MEASUREMENT } from './pairs';

const nameOf = (code: string) => WHISPER_LANGUAGES.find(([c]) => c === code)?.[1] ?? code;

export async function translationCatalog(availability: TranslationAvailability) {
  const [pairs, installed] = await Promise.all([availability.pairs(), availability.installed()]);
  const codes = [...new Set(pairs.flatMap((p) => [p.source, p.target]))];
  return {
    task: 'translate',
    languages: codes.map((code) => ({
      code,
      name: nameOf(code),
      targets: pairs.filter((p) => p.source === code).map((p) => p.target),
      sources: pairs.filter((p) => p.target === code).map((p) => p.source),
    })),
    pairs: pairs.map((p) => ({ source: p.source, target: p.target, engine: p.engine, model: p.model, chrF: p.chrF, candidates: p.candidates })),
    engines: [
      { engine: 'llm', installed: installed.llmModel !== undefined, model: installed.llmModel ?? null },
      { engine: 'apertium', installed: installed.apertiumModes.size > 0, modes: [...installed.apertiumModes].sort() },
      ...availability.seq2seq().map((s) => ({ engine: s.engine, installed: s.weightsFound, runnable: s.runnable, model: s.id, note: s.note })),
    ],
    measurement: MEASUREMENT,
  };
}

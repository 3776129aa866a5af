/**
 * OpenAI's model names on our models. `whisper-1` (OpenAI's only Whisper name, which every openai
 * client sends by default) means the best installed model; any installed voxflow model id is also
 * accepted as is. The answer always says which model ran (X-Model, and a `model` field in JSON).
 */
import type { ModelRegistry } from '../../lib/models/registry';

export const OPENAI_WHISPER_ALIAS = 'whisper-1';

/**
 * The model a request runs on, or undefined for "the registry's best" when the caller said whisper-1.
 * Translation prefers a multilingual checkpoint trained for it: English-only (`*.en`) checkpoints
 * have no translate task, and large-v3-turbo was fine-tuned on transcription only (it mostly answers
 * in the source language), so for translate they come last.
 */
export function openAiModel(models: ModelRegistry, requested: string, task: 'transcribe' | 'translate'): string | undefined {
  if (requested !== OPENAI_WHISPER_ALIAS) return requested;
  if (task === 'transcribe') return undefined;
  const installed = models.installedWhisper();
  return installed.find((id) => !id.endsWith('.en') && !id.includes('turbo')) ?? installed[0];
}

/** OpenAI's model object (GET /v1/models `data`, GET /v1/models/:id). */
export interface OpenAiModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** Our catalogue has no creation dates; a fixed one keeps the list stable between calls. */
const CREATED = Math.floor(Date.UTC(2024, 0, 1) / 1000);

function openAiModelList(ids: string[], whisperInstalled: boolean): OpenAiModel[] {
  const all = whisperInstalled ? [OPENAI_WHISPER_ALIAS, ...ids] : ids;
  return [...new Set(all)].map((id) => ({ id, object: 'model' as const, created: CREATED, owned_by: 'voxflow' }));
}

/** What GET /v1/models lists (the contract's entries: every catalogue type, with honest installed flags). */
export interface CatalogEntry {
  id: string;
  type: string;
  installed: boolean;
}

/**
 * The contract's `models` and OpenAI's list in one body: `object: "list"` and `data` with the
 * installed models (what a request can run), `whisper-1` first when a speech model is installed.
 */
export function withOpenAiList<T extends { models: CatalogEntry[] }>(body: T): T & { object: 'list'; data: OpenAiModel[] } {
  const installed = body.models.filter((m) => m.installed);
  return { ...body, object: 'list', data: openAiModelList(installed.map((m) => m.id), installed.some((m) => m.type === 'asr')) };
}

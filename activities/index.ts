/**
 * Activity factories, grouped by the task queue that runs them:
 * control (cheap I/O: probe, storage, ledger) and gpu (inference and heavy media work).
 */
import type { ActivityDeps } from './deps';
import { createProbeActivity } from './probe';
import { createEnhanceActivity } from './enhance';
import { createTranscribeActivity } from './transcribe';
import { createDiarizeActivity } from './diarize';
import { createCreditActivities } from './credits';
import { createMeasureAudioActivity } from './measure';
import { createJobStorageActivities } from './job-storage';
import { createRetentionActivities } from './retention';
import { createSummarizeActivity } from './summarize';
import { createGenerateActivity } from './generate';
import { createAnalyzeActivity } from './analyze';
import { createTranslateActivity } from './translate';
import { createRecipeIoActivities } from './recipe-io';
import { createWebhookActivities } from './webhook';
import { createEmbedTranscriptActivity } from './embed-transcript';
import { createChatActivity } from './chat';
import { createSearchActivity } from './search';
import { createEmbedActivity } from './embed';
import { createTtsActivity } from './tts';

export type { ActivityDeps } from './deps';

export function createControlActivities(deps: ActivityDeps) {
  return { probe: createProbeActivity(deps), ...createCreditActivities(deps.ledger, deps.limits), ...createJobStorageActivities(deps), ...createRetentionActivities(deps), ...createRecipeIoActivities(deps), ...createWebhookActivities(deps) };
}

export function createGpuActivities(deps: ActivityDeps) {
  return {
    enhance: createEnhanceActivity(deps),
    transcribe: createTranscribeActivity(deps),
    diarize: createDiarizeActivity(deps),
    measureAudio: createMeasureAudioActivity(deps),
    summarize: createSummarizeActivity(deps),
    generate: createGenerateActivity(deps),
    analyze: createAnalyzeActivity(deps),
    translate: createTranslateActivity(deps),
    embedTranscript: createEmbedTranscriptActivity(deps),
    chat: createChatActivity(deps),
    searchTranscripts: createSearchActivity(deps),
    embed: createEmbedActivity(deps),
    tts: createTtsActivity(deps),
  };
}

export type ControlActivities = ReturnType<typeof createControlActivities>;
export type GpuActivities = ReturnType<typeof createGpuActivities>;

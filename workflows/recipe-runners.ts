/**
 * How each recipe step runs: its activity, with that activity's own retry policy and timeouts
 * (workflows/activities.ts for audio, workflows/text-activities.ts for text), its price, and which
 * of the recipe's artifacts it reads and writes. workflows/recipe-steps.ts says what each needs
 * and produces; this file does it.
 */
import { ApplicationFailure, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { GpuActivities } from '../activities';
import type { RecipeIoActivities, StoredText } from '../activities/recipe-io';
import type { EngineKind } from '../lib/translate/engine';
import { cleanupActivities, gpuActivities } from './activities';
import type { Job } from './job';
import { FailureType, outputKey, type JobInput, type JobResult, type MediaSummary, type RecipeStep, type TextStepSummary, type TranscriptSummary } from './model';
import { textCredits } from './pricing';
import { textActivities } from './text-activities';
import { summaryKey, textResultKey } from './text-keys';
import { embeddingsKey } from './embed-keys';

/** What the steps so far have made: the recipe's artifacts (keys into storage, never content). */
export interface RecipeState {
  input: JobInput;
  job: Job;
  media?: MediaSummary;
  /** The audio the steps after an enhance step read (its output); absent: the upload. */
  audioKey?: string;
  /** Credits of each audio step (one price per request: pricing.ts requestShares). */
  audioShares: Partial<Record<RecipeStep['step'], number>>;
  transcript?: { key: string; summary?: TranscriptSummary };
  /** The text the text steps read, and which transcript it was rendered from (undefined: the input text). */
  text?: StoredText & { fromTranscript?: string };
  translation?: { key: string };
  outputs: JobResult['outputs'];
  textSummary?: TextStepSummary;
}

const io = () =>
  proxyLocalActivities<RecipeIoActivities>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
  });

const stepFailure = (message: string) => ApplicationFailure.create({ type: FailureType.InvalidInput, message, nonRetryable: true });

/** The text a text step reads: the input's, or the current transcript rendered one timed segment per line. */
async function textOf(st: RecipeState): Promise<StoredText> {
  if (st.transcript && st.text?.fromTranscript !== st.transcript.key) {
    const out = await io().recipeTranscriptText({ transcriptKey: st.transcript.key, outputKey: outputKey(st.input.jobId, 'recipe/text.txt') });
    st.text = { ...out, fromTranscript: st.transcript.key };
  }
  if (!st.text) throw stepFailure('this step needs text, and the recipe has none'); // validated by the API; kept for safety
  return st.text;
}

/** The embed step's activity, with POST /v1/embed's policy (workflows/embed.ts): heartbeats per sub-batch. */
const embedActivity = (queues: JobInput['queues']) =>
  proxyActivities<GpuActivities>({
    taskQueue: queues.gpu,
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: '60 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
  }).embed;

type Runner<S extends RecipeStep> = (st: RecipeState, step: S) => Promise<void>;
type Runners = { [K in RecipeStep['step']]: Runner<Extract<RecipeStep, { step: K }>> };

export const RUNNERS: Runners = {
  async enhance(st, step) {
    const { input, job } = st;
    const { step: _name, ...options } = step;
    const out = await job.step(
      'enhance',
      () => gpuActivities(input.queues).enhance({ key: input.mediaKey, outputKey: outputKey(input.jobId, 'enhanced.wav'), durationSeconds: st.media!.duration, options }),
      { credits: st.audioShares.enhance ?? 0 },
    );
    st.audioKey = out.key;
    if (options.model !== 'none') job.tagModel(options.model);
    st.outputs.push({ kind: 'audio', key: out.key, contentType: out.contentType, sizeBytes: out.sizeBytes, step: 'enhance' });
  },

  async transcribe(st, step) {
    const { input, job } = st;
    const out = await job.step(
      'transcribe',
      () =>
        gpuActivities(input.queues).transcribe({
          jobId: input.jobId,
          key: st.audioKey ?? input.mediaKey,
          durationSeconds: st.media!.duration,
          options: { model: step.model, language: step.language, diarize: false, speakers: 0, wordTimestamps: step.wordTimestamps },
          outputKey: outputKey(input.jobId, 'transcript.json'),
          partsDeletedBy: 'workflow',
        }),
      { credits: st.audioShares.transcribe ?? 0 },
    );
    await cleanupActivities().deleteTranscribeParts({ jobId: input.jobId }).catch(() => undefined);
    const { key, contentType, sizeBytes, ...summary } = out;
    job.tagLanguage(summary.language);
    job.tagModel(summary.model);
    st.transcript = { key, summary };
    st.outputs.push({ kind: 'transcript', key, contentType, sizeBytes, step: 'transcribe' });
  },

  async diarize(st, step) {
    const { input, job } = st;
    const out = await job.step(
      'diarize',
      () =>
        gpuActivities(input.queues).diarize({
          key: input.mediaKey,
          durationSeconds: st.media!.duration,
          speakers: step.speakers,
          transcriptKey: st.transcript!.key,
          // Its own object, so the transcribe step's result stays as it was (GET …/result?step=transcribe).
          outputKey: outputKey(input.jobId, 'transcript-diarized.json'),
          turnsKey: outputKey(input.jobId, 'speaker-turns.json'),
        }),
      { credits: st.audioShares.diarize ?? 0 },
    );
    st.transcript = { key: out.key, summary: st.transcript?.summary && { ...st.transcript.summary, segments: out.segments, speakers: out.speakers } };
    st.outputs.push({ kind: 'transcript', key: out.key, contentType: out.contentType, sizeBytes: out.sizeBytes, step: 'diarize' });
  },

  async translate(st, step) {
    const { input, job } = st;
    // A transcript is translated segment by segment (a batch), so the translation keeps its times
    // (subtitles); plain text is translated whole.
    let source: string;
    let textKey: string;
    let chars: number;
    let batch: boolean;
    if (st.transcript) {
      const seg = await io().recipeTranscriptSegments({ transcriptKey: st.transcript.key, outputKey: outputKey(input.jobId, 'recipe/segments.json') });
      source = step.source ?? seg.language;
      ({ key: textKey, chars } = seg);
      batch = true;
    } else {
      const text = await textOf(st);
      source = step.source ?? 'en';
      ({ key: textKey, chars } = text);
      batch = false;
    }
    const engine = step.engines[source];
    const out = await job.step(
      'translate',
      async () => {
        if (!engine) {
          throw stepFailure(`translate: the text is in '${source}', and this server translates into '${step.target}' only from ${Object.keys(step.engines).join(', ')} (give the transcribe step a \`language\`, or translate's \`source\`).`);
        }
        return textActivities(input.queues).translate({
          jobId: input.jobId,
          textKey,
          outputKey: textResultKey(input.jobId, 'translate'),
          source,
          target: step.target,
          engine: engine as EngineKind,
          batch,
        });
      },
      { credits: textCredits(chars) },
    );
    const { key, contentType, sizeBytes, ...summary } = out;
    job.tagModel(summary.model);
    st.translation = { key };
    st.textSummary = summary;
    st.outputs.push({ kind: 'translation', key, contentType, sizeBytes, step: 'translate' });
  },

  summarize: (st, step) =>
    textStep(st, 'summarize', 'summary', (textKey) =>
      textActivities(st.input.queues).summarize({ jobId: st.input.jobId, textKey, style: step.style, outputKey: summaryKey(st.input.jobId) }),
    ),

  analyze: (st, step) =>
    textStep(st, 'analyze', 'analysis', (textKey) =>
      textActivities(st.input.queues).analyze({ jobId: st.input.jobId, textKey, type: step.type, outputKey: textResultKey(st.input.jobId, 'analyze') }),
    ),

  generate: (st, step) =>
    textStep(st, 'generate', 'generation', (textKey) =>
      textActivities(st.input.queues).generate({ jobId: st.input.jobId, textKey, type: step.type, outputKey: textResultKey(st.input.jobId, 'generate') }),
    ),

  async format(st, step) {
    const { input } = st;
    const keys = Object.fromEntries(step.formats.map((f) => [f, outputKey(input.jobId, `subtitles.${f}`)]));
    const outs = await st.job.step('format', () =>
      io().recipeSubtitles({ transcriptKey: st.transcript!.key, translationKey: st.translation?.key, jsonKey: outputKey(input.jobId, 'subtitles.json'), keys }),
    );
    // The (translated) transcript first: GET …/result?step=format renders it in any format (?format=srt).
    for (const o of outs) st.outputs.push({ kind: o.format === 'json' ? 'transcript' : 'subtitles', key: o.key, contentType: o.contentType, sizeBytes: o.sizeBytes, step: 'format' });
  },

  async embed(st) {
    const { input, job } = st;
    // One vector per transcript segment (chat and search cite segments), or per paragraph of the text;
    // billed like the other text steps, on the characters embedded.
    const embed = (units: StoredText) => embedActivity(input.queues)({ textKey: units.key, outputKey: embeddingsKey(input.jobId), includeTexts: true });
    const unitsKey = outputKey(input.jobId, 'recipe/units.json');
    let out: Awaited<ReturnType<typeof embed>>;
    if (st.transcript) {
      const units = await io().recipeTranscriptSegments({ transcriptKey: st.transcript.key, outputKey: outputKey(input.jobId, 'recipe/segments.json') });
      out = await job.step('embed', () => embed(units), { credits: textCredits(units.chars) });
    } else if (patched('embed-units-with-reservation')) {
      // The text's units are written and their price reserved by one local activity (one round trip
      // fewer per job than one for each); jobs started before replay with two.
      const textKey = (await textOf(st)).key;
      out = await job.preparedStep('embed', (reserve) => io().recipeTextUnitsReserved({ textKey, outputKey: unitsKey, reserve }), (units) => embed(units));
    } else {
      const units = await io().recipeTextUnits({ textKey: (await textOf(st)).key, outputKey: unitsKey });
      out = await job.step('embed', () => embed(units), { credits: textCredits(units.chars) });
    }
    const { key, contentType, sizeBytes, model } = out;
    job.tagModel(model);
    st.outputs.push({ kind: 'embeddings', key, contentType, sizeBytes, step: 'embed' });
  },
};

/** A text step: reads the recipe's text, is billed on its length, and adds its document to the outputs. */
async function textStep(
  st: RecipeState,
  step: 'summarize' | 'analyze' | 'generate',
  kind: 'summary' | 'analysis' | 'generation',
  run: (textKey: string) => Promise<TextStepSummary & { key: string; contentType: string; sizeBytes: number }>,
): Promise<void> {
  const text = await textOf(st);
  const { key, contentType, sizeBytes, ...summary } = await st.job.step(step, () => run(text.key), { credits: textCredits(text.chars) });
  st.job.tagModel(summary.model);
  st.textSummary = summary;
  st.outputs.push({ kind, key, contentType, sizeBytes, step });
}

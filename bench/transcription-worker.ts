/**
 * Our side of the transcription benchmark, in its own process so that its peak RSS is per process
 * (comparable with the peer's). Runs the production pipeline of activities/transcribe.ts without
 * Temporal or storage: when the language is auto, the whole-file vote (measureDecodedAudio → voteLanguage
 * over windows across the file) → decodePcm16k → speechChunks (Silero VAD) → transcribeChunk(wordTimestamps, temperatureFallback,
 * the previous chunks' text as the prompt) → assembleTranscript.
 *
 *   node --import tsx bench/transcription-worker.ts --model-dir DIR --vad FILE [--threads 2]
 *        [--language auto|en|..] [--decoder fp32|int8] [--encoder fp32|int8] [--beam-size 1] [--warmup FILE] FILE...
 *
 * stdout: one JSON object per line, the same events as bench/peer/faster_whisper_peer.py
 * (load, warmup, file, done). peak_rss_kb is the process's VmHWM (KB) so far (bench/worker-io.ts).
 * Also `phase` events (ours only): RSS now and peak so far after each load and each step of the first
 * file (node + loader, onnxruntime, each Whisper graph, VAD, language vote, VAD chunks, each window), so the
 * bench can say where the peak goes.
 */
import { countSeconds, decodePcm16k, measureDecodedAudio } from '../lib/audio';
import { voteLanguage } from '../lib/asr/language-vote';
import { speechChunks } from '../lib/asr/chunker';
import { assembleTranscript, type TranscriptPart } from '../lib/asr/assemble';
import { transcribeCovering } from '../lib/asr/coverage';
import { PreviousText } from '../lib/asr/previous-text';
import { SileroVad } from '../lib/vad/silero';
import { WhisperModel } from '../lib/whisper';
import { emit, peakRssKb, runWorker } from './worker-io';

/** RSS now and the peak so far (KB) at a named point; `detail` says what was just done. */
function phase(name: string, detail?: Record<string, unknown>): void {
  emit({ event: 'phase', phase: name, rss_kb: Math.round(process.memoryUsage().rss / 1024), peak_rss_kb: peakRssKb(), ...detail });
}

interface Args {
  modelDir: string;
  vad: string;
  threads: number;
  language: string;
  decoder: 'fp32' | 'int8';
  /** Unset: the production default (fp32; lib/whisper/encoder-file.ts). */
  encoder?: 'fp32' | 'int8';
  beamSize: number;
  warmup?: string;
  files: string[];
}

function parseArgs(argv: string[]): Args {
  const a: Partial<Args> & { files: string[] } = { threads: 2, language: 'auto', decoder: 'fp32', beamSize: 1, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    const next = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${v} needs a value`);
      return x;
    };
    if (v === '--model-dir') a.modelDir = next();
    else if (v === '--vad') a.vad = next();
    else if (v === '--threads') a.threads = Number(next());
    else if (v === '--language') a.language = next();
    else if (v === '--decoder') a.decoder = next() as Args['decoder'];
    else if (v === '--encoder') a.encoder = next() as Args['encoder'];
    else if (v === '--beam-size') a.beamSize = Number(next());
    else if (v === '--warmup') a.warmup = next();
    else if (v.startsWith('--')) throw new Error(`unknown option ${v}`);
    else a.files.push(v);
  }
  if (!a.modelDir || !a.vad || !a.files.length) throw new Error('usage: transcription-worker --model-dir DIR --vad FILE FILE...');
  return a as Args;
}


async function main() {
  const args = parseArgs(process.argv.slice(2));
  phase('node + modules');
  const t0 = performance.now();
  const model = await WhisperModel.load(args.modelDir, {
    intraOpNumThreads: args.threads,
    decoder: args.decoder,
    encoder: args.encoder,
    beamSize: args.beamSize,
    executionProviders: ['cpu'],
    onGraphLoaded: (file) => phase(`load ${file}`),
  });
  const vad = await SileroVad.load(args.vad);
  phase('load silero VAD');
  emit({
    event: 'load',
    seconds: (performance.now() - t0) / 1000,
    peak_rss_kb: peakRssKb(),
    versions: { node: process.version, onnxruntime_node: require('onnxruntime-node/package.json').version as string, model: model.id, decoder: args.decoder, encoder: model.encoderFile, beam_size: String(model.beamSize) },
  });

  /** Phases are traced on the first timed file only (the warm-up and later files just add noise). */
  let traced = false;
  const run = async (file: string, trace = false) => {
    const at = (name: string, detail?: Record<string, unknown>) => trace && phase(name, detail);
    const start = performance.now();
    let language = args.language === 'auto' ? undefined : args.language;
    let languageProbability: number | undefined;
    const parts: TranscriptPart[] = [];
    const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';
    if (!language && model.multilingual) {
      // As activities/transcribe.ts does: the language of the whole file, voted over windows across it.
      const vote = await voteLanguage(model, vad, { file, durationSeconds: await measureDecodedAudio(ffmpeg, file), ffmpeg });
      if (vote) ({ language, probability: languageProbability } = vote);
      at('language vote', { windows: vote?.windows.length ?? 0 });
    }
    const pcm = countSeconds(decodePcm16k(file, { ffmpeg, chunkSamples: 16_000 * 5 }));
    const context = new PreviousText();
    for await (const chunk of speechChunks(pcm.stream, vad)) {
      if (!language) {
        const d = model.multilingual ? await model.detectLanguage(chunk.pcm) : { language: 'en', probability: 1 };
        language = d.language;
        languageProbability = d.probability;
      }
      at('window VAD', { window: parts.length, seconds: chunk.pcm.length / 16_000 });
      const res = await transcribeCovering(model, chunk, { language, wordTimestamps: true, temperatureFallback: true, previousTokens: context.tokens });
      context.add(res);
      parts.push({ chunkStart: chunk.start, chunkEnd: chunk.end, segments: res.segments, dropped: res.dropped, redecoded: res.redecoded });
      at('window decoded', { window: parts.length - 1 });
    }
    const transcript = assembleTranscript(parts, {
      model: 'whisper-base',
      language: language ?? 'en',
      languageProbability: args.language === 'auto' ? languageProbability : undefined,
      duration: pcm.seconds(),
    });
    const seconds = (performance.now() - start) / 1000;
    return { transcript, seconds, chunks: parts.length };
  };

  if (args.warmup) {
    const { seconds } = await run(args.warmup);
    emit({ event: 'warmup', file: args.warmup, seconds });
  }
  for (const file of args.files) {
    const { transcript: t, seconds, chunks } = await run(file, !traced);
    traced = true;
    emit({
      event: 'file',
      file,
      text: t.text,
      language: t.language,
      language_probability: t.language_probability ?? null,
      duration: t.duration,
      seconds,
      segments: t.segments.length,
      words: t.segments.reduce((a, s) => a + s.words.length, 0),
      chunks,
      peak_rss_kb: peakRssKb(),
    });
  }
  await model.release();
  await vad.release();
  emit({ event: 'done', peak_rss_kb: peakRssKb() });
}

runWorker(main);

import { findAlignment } from './alignment';
import { decodeWithFallback, isNoSpeech, type DecodeConfig } from './decode';
import { CHUNK_SAMPLES, HOP_LENGTH, LogMel, SAMPLE_RATE } from './log-mel';
import { encoderFile } from './encoder-file';
import { readManifest, type WhisperManifest } from './manifest';
import { logSumExp } from './math';
import { splitSegments, TIME_PRECISION } from './segments';
import { WhisperSessions, type CrossKv } from './sessions';
import { WhisperTokenizer } from './tokenizer';
import type { ChunkResult, ChunkSegment, TranscribeChunkOptions, WhisperLoadOptions } from './types';
import { attachWords } from './word-timestamps';

const MAX_INITIAL_TIMESTAMP = 1.0; // seconds
/** Previous-text tokens kept in a prompt: n_text_ctx / 2 - 1, as openai-whisper and faster-whisper keep. */
const MAX_PROMPT_TOKENS = 223;

/** Decoding settings from the manifest: openai-whisper's defaults for this model's vocabulary. */
export function decodeConfig(m: WhisperManifest): DecodeConfig {
  const sp = m.special_tokens;
  return {
    sot: sp.sot,
    noSpeech: sp.no_speech,
    nVocab: m.dims.n_vocab,
    maxTokens: Math.floor(m.dims.n_text_ctx / 2),
    filters: {
      eot: sp.eot,
      noTimestamps: sp.no_timestamps,
      timestampBegin: sp.timestamp_begin,
      suppress: m.suppress_tokens,
      suppressBegin: m.suppress_tokens_begin,
      maxInitialTimestampIndex: Math.round(MAX_INITIAL_TIMESTAMP / TIME_PRECISION),
    },
  };
}

/**
 * A loaded Whisper model: one onnxruntime session per graph, for the life of the process. Calls are
 * serialised internally, so concurrent callers queue instead of contending for the same cores.
 */
export class WhisperModel {
  readonly id: string;
  readonly multilingual: boolean;
  readonly languages: string[];
  private readonly mel: LogMel;
  private readonly decodeCfg: DecodeConfig;
  private queue: Promise<unknown> = Promise.resolve();
  private lastEncoded?: { key: string; cross: CrossKv };
  private released = false;
  /** Beam width transcribeChunk uses when a call names none (1 = greedy). */
  readonly beamSize: number;
  /** The graphs accept a window shorter than 30 s (TranscribeChunkOptions.trimWindow). */
  readonly trimmableWindow: boolean;
  /** The encoder graph loaded: encoder.onnx or encoder_int8.onnx. */
  readonly encoderFile: string;

  private constructor(
    private readonly m: WhisperManifest,
    private readonly sessions: WhisperSessions,
    private readonly tok: WhisperTokenizer,
    beamSize: number,
    encoderFile: string,
  ) {
    this.beamSize = beamSize;
    this.encoderFile = encoderFile;
    this.id = m.model_id;
    this.multilingual = m.multilingual;
    // English-only checkpoints have no language tokens; they still transcribe English.
    this.languages = m.multilingual ? Object.keys(m.language_tokens) : ['en'];
    this.mel = new LogMel(m.dims.n_mels);
    this.decodeCfg = decodeConfig(m);
    this.trimmableWindow = m.audio_ctx === 'dynamic';
  }

  static async load(dir: string, opts: WhisperLoadOptions = {}): Promise<WhisperModel> {
    const m = await readManifest(dir);
    const tok = await WhisperTokenizer.load(dir, m.special_tokens.eot);
    const encoder = encoderFile(dir, m.files?.['encoder.onnx']?.sha256, opts.encoder);
    const sessions = await WhisperSessions.create(dir, m, {
      executionProviders: opts.executionProviders?.length ? opts.executionProviders : ['cpu'],
      intraOpNumThreads: opts.intraOpNumThreads,
      memoryArena: opts.memoryArena,
      encoderFile: encoder,
      decoderFile: opts.decoder === 'int8' ? 'decoder_int8.onnx' : 'decoder.onnx',
      onGraphLoaded: opts.onGraphLoaded,
    });
    return new WhisperModel(m, sessions, tok, Math.max(1, Math.floor(opts.beamSize ?? 1)), encoder);
  }

  /**
   * One decoder step after SOT on the (≤ 30 s) window; softmax over the language tokens only. With trimWindow
   * (as transcribeChunk's) the window's encoding is shared with a transcribeChunk of the same audio that follows.
   */
  detectLanguage(pcm: Float32Array, opts: { trimWindow?: boolean } = {}): Promise<{ language: string; probability: number }> {
    return this.serial(async () => {
      if (!this.multilingual) return { language: 'en', probability: 1 };
      const cross = await this.encode(pcm, this.windowFrames(pcm, opts.trimWindow));
      const step = await this.sessions.step([this.m.special_tokens.sot], this.sessions.emptyCache(), cross);
      const codes = this.languages;
      const logits = codes.map((c) => step.logits[this.m.language_tokens[c]]);
      const lse = logSumExp(logits);
      let best = 0;
      for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
      return { language: codes[best], probability: Math.exp(logits[best] - lse) };
    });
  }

  /**
   * Transcribes one window of 16 kHz mono audio (samples past 30 s are ignored). Segment and word times are
   * seconds from the window's start. Digital silence and windows the model judges to be non-speech return no
   * segments.
   */
  transcribeChunk(pcm: Float32Array, opts: TranscribeChunkOptions): Promise<ChunkResult> {
    return this.serial(async () => {
      opts.signal?.throwIfAborted();
      if (!this.languages.includes(opts.language)) throw new Error(`Unknown language '${opts.language}' for model ${this.id}`);
      const sp = this.m.special_tokens;
      // The task token picks transcription or translation to English; English-only checkpoints know neither token.
      const sotSequence = this.multilingual ? [sp.sot, this.m.language_tokens[opts.language], opts.task === 'translate' ? sp.translate : sp.transcribe] : [sp.sot];
      const duration = Math.min(pcm.length, CHUNK_SAMPLES) / SAMPLE_RATE;
      // Digital silence makes the model hallucinate (" you") with a log-prob just above the no-speech rule's
      // threshold; nothing below one 16-bit step can be speech, so skip the model altogether.
      if (isDigitalSilence(pcm)) return { language: opts.language, noSpeechProb: 1, segments: [] };
      const frames = this.windowFrames(pcm, opts.trimWindow);
      const cross = await this.encode(pcm, frames);
      const beam = { beamSize: Math.max(1, Math.floor(opts.beamSize ?? this.beamSize)), patience: opts.patience, lengthPenalty: opts.lengthPenalty };
      const prompt = opts.previousTokens?.length ? [sp.sot_prev, ...opts.previousTokens.slice(-MAX_PROMPT_TOKENS), ...sotSequence] : sotSequence;
      // The text context holds n_text_ctx positions: a long prompt leaves fewer for the sampled tokens.
      const room = this.m.dims.n_text_ctx - prompt.length;
      const cfg = { ...this.decodeCfg, maxTokens: Math.max(1, Math.min(this.decodeCfg.maxTokens, room, opts.maxTokens ?? Infinity)) };
      const r = await decodeWithFallback(this.sessions, cross, prompt, cfg, this.tok, opts.temperatureFallback ?? false, beam, opts.signal);
      const result: ChunkResult = { language: opts.language, noSpeechProb: r.noSpeechProb, temperature: r.temperature, segments: [] };
      if (isNoSpeech(r)) return result;

      const raw = splitSegments(r.tokens, r.logprobs, sp.timestamp_begin, duration, this.tok);
      const base: ChunkSegment[] = raw.map((s) => ({
        start: s.start,
        end: s.end,
        text: this.tok.decode(s.tokens),
        confidence: Math.exp(s.textLogprobs.reduce((a, b) => a + b, 0) / s.textLogprobs.length),
        avgLogprob: s.avgLogprob,
        words: [],
        tokens: s.allTokens,
      }));
      if (!opts.wordTimestamps || raw.length === 0) {
        result.segments = base;
        return result;
      }
      const alignment = await findAlignment({
        sessions: this.sessions,
        cross,
        tok: this.tok,
        sotSequence,
        noTimestamps: sp.no_timestamps,
        eot: sp.eot,
        nVocab: this.m.dims.n_vocab,
        nAudioCtx: frames / 2,
        language: opts.language,
        textTokens: raw.flatMap((s) => s.tokens),
        numFrames: Math.ceil(Math.min(pcm.length, CHUNK_SAMPLES) / HOP_LENGTH),
      });
      result.segments = attachWords(raw, base, alignment, duration);
      return result;
    });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue.catch(() => undefined);
    this.lastEncoded = undefined;
    await this.sessions.release();
  }

  /**
   * Mel + encoder + cross K/V. The last window is remembered by content, so detectLanguage followed by
   * transcribeChunk on the same audio pays for the encoder once (a content hash, not identity: callers reuse
   * buffers).
   */
  private async encode(pcm: Float32Array, frames = this.m.dims.n_frames): Promise<CrossKv> {
    const key = `${frames}/${contentKey(pcm)}`;
    if (this.lastEncoded?.key === key) return this.lastEncoded.cross;
    const cross = await this.sessions.encode(this.mel.compute(pcm, undefined, frames), frames);
    this.lastEncoded = { key, cross };
    return cross;
  }

  /**
   * Mel frames the encoder sees: all 3000, or with trimWindow (and graphs that accept it) the audio's frames
   * plus TRIM_MARGIN_FRAMES of the padding Whisper was trained with, even (the encoder's stride-2 conv halves it).
   */
  private windowFrames(pcm: Float32Array, trim?: boolean): number {
    const full = this.m.dims.n_frames;
    if (!trim || !this.trimmableWindow) return full;
    const frames = Math.ceil(Math.min(pcm.length, CHUNK_SAMPLES) / HOP_LENGTH) + TRIM_MARGIN_FRAMES;
    return Math.min(full, frames + (frames % 2));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.released) return Promise.reject(new Error(`WhisperModel ${this.id} was released`));
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

const SILENCE_PEAK = 1 / 32768;
/** Padding kept after the audio in a trimmed window (1 s): with none, Whisper tends to drop the last word. */
const TRIM_MARGIN_FRAMES = 100;

function isDigitalSilence(pcm: Float32Array): boolean {
  const n = Math.min(pcm.length, CHUNK_SAMPLES);
  for (let i = 0; i < n; i++) if (Math.abs(pcm[i]) >= SILENCE_PEAK) return false;
  return true;
}

/** FNV-1a over the sample bits of the (at most 30 s) window, plus its length. */
function contentKey(pcm: Float32Array): string {
  const n = Math.min(pcm.length, CHUNK_SAMPLES);
  const bits = new Uint32Array(pcm.buffer, pcm.byteOffset, n);
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (let i = 0; i < n; i++) {
    h1 = Math.imul(h1 ^ bits[i], 0x01000193);
    h2 = Math.imul(h2 ^ bits[i], 0x5bd1e995) ^ (h2 >>> 13);
  }
  return `${n}:${(h1 >>> 0).toString(16)}:${(h2 >>> 0).toString(16)}`;
}

/**
 * One live stream's recognition, inside an engine thread: Silero VAD endpointing on the incoming
 * audio, a partial decode of the open utterance every `partialIntervalMs` of audio (made stable by
 * local agreement), and a final decode with word times at each endpoint. Partials may be skipped or
 * slowed under load (DecodeQueue); finals never are, and each is decoded from the utterance's full
 * audio, so the final text does not depend on how far behind the partials were.
 */
import type { TranscriptPart } from '../asr/assemble';
import type { StreamAsr } from './stream-model';
import type { ChunkSegment } from '../whisper/types';
import type { VadStream } from '../vad/silero';
import { round3 } from '../round';
import { AudioWindow } from './audio-window';
import type { DecodeQueue } from './decode-queue';
import { Endpointer } from './endpointer';
import { finalWindow } from './final-window';
import { LocalAgreement } from './local-agreement';
import { STREAM_SAMPLE_RATE as SR } from './pcm';

export interface RecognizerOptions {
  /** A Whisper language code, or 'auto' (detected on the first utterance, then kept). */
  language: string;
  partialIntervalMs: number;
  endpointSilenceMs: number;
  maxUtteranceSeconds: number;
}

/** Messages for the client, exactly as sent (JSON objects of the WS protocol). */
export type ClientMessage = Record<string, unknown>;

/** Tokens a partial may sample: the rate cap on its audio, tighter once a previous partial said how many words there are. */
export function partialTokenCap(samples: number, previous?: { words: number; newSamples: number }): number {
  const byRate = Math.ceil((samples / SR) * PARTIAL_TOKENS_PER_S) + 10;
  if (!previous) return byRate;
  const byWords = Math.ceil(previous.words * PARTIAL_TOKENS_PER_WORD + (Math.max(0, previous.newSamples) / SR) * PARTIAL_TOKENS_PER_S) + PARTIAL_TOKEN_MARGIN;
  return Math.min(byRate, byWords);
}

/** Segment and word times clamped to the utterance (the final's window runs on into padding). */
function withinAudio(segments: ChunkSegment[], duration: number): ChunkSegment[] {
  const at = (t: number) => Math.min(t, duration);
  return segments.map((s) => ({ ...s, start: at(s.start), end: at(s.end), words: s.words.map((w) => ({ ...w, start: at(w.start), end: at(w.end) })) }));
}

const PRE_ROLL = Math.round(0.3 * SR); // audio kept before the VAD onset (it fires a little late)
const POST_PAD = Math.round(0.25 * SR); // after the last speech window
const MAX_PARTIAL_INTERVAL_MS = 8000;
/** VAD probability above which a window counts as heard speech (the endpointer's offset). */
const HEARD = 0.35;
/** Tokens a partial may sample per second of audio (speech runs at ~3–5): a repetition loop stops there. */
const PARTIAL_TOKENS_PER_S = 8;
/**
 * And past the previous partial's words: at most 2 tokens a word (Whisper base averages ~1.3 on English,
 * punctuation and timestamps included) plus the rate above for the audio new since it, plus a margin. A
 * decode that starts looping stops a few tokens past what the utterance has said so far, not at the rate cap.
 */
const PARTIAL_TOKENS_PER_WORD = 2;
const PARTIAL_TOKEN_MARGIN = 8;

interface Utterance {
  seq: number;
  start: number;
  nextPartial: number;
  /** `heardTo` when the last partial decode started: a decode with nothing heard since would say the same. */
  decodedTo: number;
  /** Words of the last partial decode and the audio end it saw (the tighter token cap); none yet: undefined. */
  last?: { words: number; end: number };
}

export class StreamRecognizer {
  private readonly audio = new AudioWindow();
  private readonly endpointer: Endpointer;
  private readonly agreement = new LocalAgreement();
  private vadPos = 0;
  private lastSpeech = 0;
  private utterance?: Utterance;
  private seq = 0;
  private language?: string;
  private languageProbability?: number;
  private interval: number;
  private lastPartial = '';
  /** End of the last window VAD heard as speech (sample index). */
  private heardTo = 0;
  /** This stream's partial is decoding now; `partialDue`: the next came due meanwhile (asked for when it returns). */
  private partialRunning = false;
  private partialDue = false;
  private readonly parts: TranscriptPart[] = [];
  private readonly finals: Promise<void>[] = [];
  private pendingFinalSamples = 0;
  /** No more audio (finish or abort). */
  private closed = false;
  /** The client is gone: nothing more is sent. */
  private aborted = false;

  constructor(
    private readonly id: string,
    private readonly asr: StreamAsr,
    private readonly vad: VadStream,
    private readonly queue: DecodeQueue,
    private readonly opts: RecognizerOptions,
    private readonly send: (m: ClientMessage) => void,
  ) {
    this.endpointer = new Endpointer({ endSilenceMs: opts.endpointSilenceMs, sampleRate: SR });
    this.interval = opts.partialIntervalMs;
    if (opts.language !== 'auto') this.language = opts.language;
  }

  /** Samples run through VAD so far, and audio held for finals not decoded yet (the back-pressure measure). */
  get progress(): { processed: number; pendingFinal: number; lastSpeech: number } {
    return { processed: this.vadPos, pendingFinal: this.pendingFinalSamples, lastSpeech: this.lastSpeech };
  }

  async push(pcm: Float32Array): Promise<void> {
    if (this.closed) return;
    this.audio.append(pcm);
    const probs = await this.vad.push(pcm);
    const maxUtt = this.opts.maxUtteranceSeconds * SR;
    for (const p of probs) {
      const ev = this.endpointer.push(p);
      this.vadPos += 512;
      if (p >= HEARD) this.heardTo = this.vadPos;
      if (this.endpointer.speaking) this.lastSpeech = this.vadPos;
      if (ev?.kind === 'start') this.open(Math.max(0, ev.at - PRE_ROLL));
      else if (ev?.kind === 'end' && this.utterance) this.finalize(Math.min(ev.speechEnd + POST_PAD, this.vadPos));
      const u = this.utterance;
      if (!u) continue;
      if (this.vadPos - u.start >= maxUtt) {
        // A very long utterance: cut here (Whisper sees at most 30 s) and carry on with a new one.
        this.finalize(this.vadPos);
        if (this.endpointer.speaking) this.open(this.vadPos);
      } else if (this.vadPos >= u.nextPartial) {
        u.nextPartial = this.vadPos + (this.interval / 1000) * SR;
        this.requestPartial(u);
      }
    }
    if (!this.utterance) this.audio.dropBefore(this.vadPos - PRE_ROLL);
  }

  /** End of stream: the open utterance is finalised; resolves with the stream's transcript parts once every final is decoded. */
  async finish(): Promise<{ parts: TranscriptPart[]; language: string; languageProbability?: number; duration: number }> {
    if (this.utterance) this.finalize(this.audio.end);
    this.closed = true;
    this.queue.dropPartial(this.id);
    await Promise.all(this.finals);
    return { parts: this.parts, language: this.language ?? 'en', languageProbability: this.languageProbability, duration: round3(this.audio.end / SR) };
  }

  /** The client went away: no more decodes for it. */
  abort(): void {
    this.closed = true;
    this.aborted = true;
    this.queue.dropPartial(this.id);
  }

  private open(start: number): void {
    this.utterance = { seq: ++this.seq, start, nextPartial: this.vadPos + (this.interval / 1000) * SR, decodedTo: -1 };
    this.agreement.reset();
    this.lastPartial = '';
  }

  /**
   * Self-clocked: while this stream's own partial decodes, the next one only comes due and is asked for
   * when it returns (waiting on itself is not being behind); queued behind other streams' work and
   * superseded by a newer request, it is (DecodeQueue.partial → slowDown).
   */
  private requestPartial(u: Utterance): void {
    if (this.partialRunning) {
      this.partialDue = true;
      return;
    }
    const behind = this.queue.partial(this.id, async (waitedMs) => {
      const cur = this.utterance;
      if (this.closed || !cur || cur.seq !== u.seq) return;
      this.adapt(waitedMs);
      // Nothing heard since the last decode (a pause, the endpoint's hangover): it would say the same.
      if (this.heardTo <= cur.decodedTo) return;
      cur.decodedTo = this.heardTo;
      this.partialRunning = true;
      try {
        await this.decodePartial(cur);
      } finally {
        this.partialRunning = false;
      }
      if (this.partialDue && !this.closed && this.utterance?.seq === u.seq) {
        this.partialDue = false;
        this.requestPartial(this.utterance);
      }
    });
    if (behind) this.slowDown();
  }

  /**
   * The open utterance so far, greedy, on a window trimmed to the audio present (when the model's graphs
   * allow: the encoder's cost follows the window) with a token cap; local agreement makes it stable.
   */
  private async decodePartial(u: Utterance): Promise<void> {
    const pcm = this.audio.slice(u.start, this.vadPos);
    const language = await this.languageFor(pcm, false);
    const maxTokens = partialTokenCap(pcm.length, u.last && { words: u.last.words, newSamples: this.vadPos - u.last.end });
    const end = this.vadPos;
    const decode = this.asr.transcribePartial ?? this.asr.transcribeChunk;
    const r = await decode.call(this.asr, pcm, { language, wordTimestamps: false, temperatureFallback: false, beamSize: 1, trimWindow: true, maxTokens });
    if (this.closed || this.utterance?.seq !== u.seq) return; // finalised meanwhile: the text supersedes it
    const said = r.segments.map((s) => s.text).join(' ').trim();
    u.last = { words: said ? said.split(/\s+/).length : 0, end };
    const { stable, unstable } = this.agreement.update(said);
    const key = `${stable}\u0000${unstable}`;
    if (key === this.lastPartial || (!stable && !unstable)) return;
    this.lastPartial = key;
    this.send({ partial: stable, unstable });
  }

  /** A partial was still waiting when the next was due: decode cannot keep up, so partials come less often. */
  private slowDown(): void {
    if (this.interval >= MAX_PARTIAL_INTERVAL_MS) return;
    this.interval = Math.min(MAX_PARTIAL_INTERVAL_MS, this.interval * 2);
    const lagS = round3((this.vadPos - (this.utterance?.start ?? this.vadPos)) / SR);
    this.send({ status: 'behind', partial_interval_s: this.interval / 1000, utterance_s: lagS });
  }

  /** Back toward the configured cadence once partials run promptly again. */
  private adapt(waitedMs: number): void {
    if (this.interval > this.opts.partialIntervalMs && waitedMs < this.interval / 4) {
      this.interval = Math.max(this.opts.partialIntervalMs, this.interval / 2);
      if (this.interval === this.opts.partialIntervalMs) this.send({ status: 'caught_up', partial_interval_s: this.interval / 1000 });
    }
  }

  private finalize(end: number): void {
    const u = this.utterance!;
    this.utterance = undefined;
    this.queue.dropPartial(this.id);
    this.partialDue = false;
    const pcm = this.audio.slice(u.start, end);
    const start = u.start;
    if (pcm.length < 0.1 * SR) return;
    this.pendingFinalSamples += pcm.length;
    const done = this.queue.final(async () => {
      try {
        if (this.aborted) return;
        // The utterance + 8 s of silence on the trimmed window: the padded 30 s window's words at a
        // seventh of its encoder time (final-window.ts); detection shares that encoding.
        const windowed = finalWindow(pcm, this.asr.trimmableWindow);
        const language = await this.languageFor(windowed, true);
        const r = await this.asr.transcribeChunk(windowed, { language, wordTimestamps: true, temperatureFallback: true, trimWindow: true });
        const part: TranscriptPart = { chunkStart: start / SR, chunkEnd: (start + pcm.length) / SR, segments: withinAudio(r.segments, pcm.length / SR) };
        this.parts.push(part);
        const text = r.segments.map((s) => s.text.trim()).filter(Boolean).join(' ');
        if (!text || this.aborted) return;
        const words = part.segments.flatMap((s) => s.words.map((w) => ({ word: w.word.trim(), start: round3(part.chunkStart + w.start), end: round3(part.chunkStart + w.end) })));
        this.send({
          text,
          start: round3(words[0]?.start ?? part.chunkStart + (part.segments[0]?.start ?? 0)),
          end: round3(words.at(-1)?.end ?? part.chunkStart + (part.segments.at(-1)?.end ?? 0)),
          language,
          words,
        });
      } finally {
        this.pendingFinalSamples -= pcm.length;
      }
    });
    this.finals.push(done);
  }

  /**
   * The stream's language: given, or detected once on the first final's window (it is kept for the
   * stream); partials before it detect each time, on their trimmed window (encoded once for both).
   */
  private async languageFor(pcm: Float32Array, lock: boolean): Promise<string> {
    if (this.language) return this.language;
    if (!this.asr.multilingual) return (this.language = 'en');
    const d = await this.asr.detectLanguage(pcm, { trimWindow: true });
    if (lock) {
      this.language = d.language;
      this.languageProbability = d.probability;
    }
    return d.language;
  }
}

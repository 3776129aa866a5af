/**
 * Who spoke when: Silero VAD speech regions → CAM++ embeddings of 1.5 s windows every 0.75 s (batched)
 * → average-linkage clustering (a fixed count when the caller knows it, else a similarity threshold)
 * → speaker turns. The audio streams through: only the current chunk of speech and one small
 * embedding per window are held, so memory grows by ~1 KB per second of speech, not with the audio.
 */
import { speechChunks } from '../asr/chunker';
import type { RegionOptions, SpeechRegion } from '../vad/segments';
import type { SileroVad } from '../vad/silero';
import { speakerLabels, type CountSettings } from './count';
import type { SpeakerEmbedder } from './embedder';
import type { SpeakerTurn } from './types';
import { labelTurns, regionWindows, type EmbeddingWindow } from './windows';

const SR = 16_000;

export interface DiarizeOptions {
  /** Exact number of speakers (0: estimate). */
  speakers?: number;
  /** Where the PCM stream starts in the source, seconds. */
  offsetS?: number;
  /** Called after each chunk of speech with the seconds of audio covered so far (heartbeats). */
  onProgress?: (seconds: number) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface DiarizerSettings extends CountSettings {
  windowS: number;
  hopS: number;
  batch: number;
  region: Partial<RegionOptions>;
}

// Tuned on the evaluation set (bench/diarization.ts); the VAD settings keep turns tight (short
// padding, 300 ms pauses split regions) so boundaries between speakers fall in the pauses.
export const DEFAULT_DIARIZER_SETTINGS: DiarizerSettings = {
  windowS: 1.5,
  hopS: 0.75,
  // Count rule and its setting tuned on the telephone tuning group of the evaluation set, checked on its
  // validation group and the clean cases (bench/diarization-tune.ts; figures in lib/diarization/count.ts).
  countRule: 'threshold',
  eigengapKeep: 0.32,
  maxSpeakers: 10,
  threshold: 0.5,
  minClusterShare: 0.03,
  batch: 16, // 32 is ~10% faster but peaks ~100 MB higher (measured on the long case)
  region: { threshold: 0.5, minSilenceMs: 300, minSpeechMs: 250, padMs: 30 },
};

export interface EmbeddedSpeech {
  regions: SpeechRegion[];
  windows: EmbeddingWindow[];
  embeddings: Float32Array[];
}

export interface DiarizationResult {
  turns: SpeakerTurn[];
  /** Number of distinct speakers (labels "0".."n-1" in order of first appearance). */
  speakers: number;
  speechSeconds: number;
  windows: number;
}

export class Diarizer {
  private readonly s: DiarizerSettings;

  constructor(
    private readonly vad: SileroVad,
    private readonly embedder: SpeakerEmbedder,
    settings: Partial<DiarizerSettings> = {},
  ) {
    this.s = { ...DEFAULT_DIARIZER_SETTINGS, ...settings };
  }

  async diarize(pcm: AsyncIterable<Float32Array>, opts: DiarizeOptions = {}): Promise<DiarizationResult> {
    const speech = await this.embedSpeech(pcm, opts);
    return this.assign(speech, opts.speakers ?? 0);
  }

  /** The first half: speech regions and one embedding per window (what count tuning replays offline). */
  async embedSpeech(pcm: AsyncIterable<Float32Array>, opts: Omit<DiarizeOptions, 'speakers'> = {}): Promise<EmbeddedSpeech> {
    const { windowS, hopS, batch } = this.s;
    const regions: SpeechRegion[] = [];
    const windows: EmbeddingWindow[] = [];
    const embeddings: Float32Array[] = [];
    let pending: Array<{ w: EmbeddingWindow; pcm: Float32Array }> = [];
    const flush = async (all: boolean) => {
      while (pending.length >= batch || (all && pending.length)) {
        const take = pending.slice(0, batch);
        pending = pending.slice(take.length);
        const out = await this.embedder.embed(take.map((p) => p.pcm), batch);
        take.forEach((p, i) => {
          windows.push(p.w);
          embeddings.push(out[i]);
        });
      }
    };

    for await (const chunk of speechChunks(pcm, this.vad, { offsetS: opts.offsetS, region: this.s.region })) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      for (const r of chunk.regions) {
        regions.push(r);
        for (const w of regionWindows(r, windowS, hopS)) {
          const a = Math.max(0, Math.round((w.start - chunk.start) * SR));
          const b = Math.min(chunk.pcm.length, Math.round((w.end - chunk.start) * SR));
          if (b - a >= 400) pending.push({ w, pcm: chunk.pcm.slice(a, b) });
        }
      }
      await flush(false);
      await opts.onProgress?.(chunk.end);
    }
    await flush(true);
    return { regions, windows, embeddings };
  }

  /** The second half: speaker labels for the windows (the count given, or estimated), then turns. */
  assign(speech: EmbeddedSpeech, speakers: number): DiarizationResult {
    const { regions, windows, embeddings } = speech;
    const labels = speakerLabels(embeddings, speakers, this.s);
    const turns = windows.length ? labelTurns(regions, windows, labels) : [];
    return {
      turns,
      speakers: new Set(labels).size,
      speechSeconds: regions.reduce((a, r) => a + r.end - r.start, 0),
      windows: windows.length,
    };
  }
}

/**
 * `npx tsx bench/streaming-final-window.ts`: how short a window a stream's FINAL decode can take. The
 * recordings (jfk + the LibriVox clips) are cut into utterances by the stream's own endpointing (Silero +
 * Endpointer, the recogniser's pre-roll and post-pad), and each utterance is decoded as a final (word
 * times, fallback, greedy) on the padded 30 s window and on windows trimmed to the audio + a margin of
 * zero padding: WER of the joined finals against the reference, and ms per final.
 * BENCH_FINAL_MARGINS (seconds, default 1,3,5,8), BENCH_THREADS (2), BENCH_ENDPOINT_MS (500).
 */
import path from 'node:path';
import { WhisperModel } from '../lib/whisper';
import { SileroVad } from '../lib/vad/silero';
import { loadConfig } from '../lib/config';
import { ModelRegistry } from '../lib/models/registry';
import { Endpointer } from '../lib/streaming/endpointer';
import { pcmOf } from '../test/stream/stream-client';
import { jfk, librivox } from '../test/helpers/models';
import { normalizeWords, wordErrorRate } from '../test/helpers/wer';

const SR = 16000;
const f32 = (b: Buffer) => {
  const p = new Float32Array(b.length / 2);
  for (let i = 0; i < p.length; i++) p[i] = b.readInt16LE(i * 2) / 32768;
  return p;
};

/** Utterances as the recogniser cuts them (pre-roll 0.3 s, post-pad 0.25 s). */
async function utterances(vad: SileroVad, pcm: Float32Array, endMs: number): Promise<Float32Array[]> {
  const probs = await vad.stream().push(pcm);
  const ep = new Endpointer({ endSilenceMs: endMs, sampleRate: SR });
  const out: Float32Array[] = [];
  let start = -1;
  for (const p of probs) {
    const ev = ep.push(p);
    if (ev?.kind === 'start') start = Math.max(0, ev.at - 0.3 * SR);
    else if (ev?.kind === 'end' && start >= 0) {
      out.push(pcm.slice(start, ev.speechEnd + 0.25 * SR));
      start = -1;
    }
  }
  if (start >= 0) out.push(pcm.slice(start));
  return out.filter((u) => u.length >= 0.1 * SR);
}

async function main() {
  const config = loadConfig(process.env);
  const model = await WhisperModel.load(path.join(config.modelsDir, 'whisper-stream', 'base'), { intraOpNumThreads: Number(process.env.BENCH_THREADS ?? 2) });
  const vad = await SileroVad.load(`${new ModelRegistry(config.modelsDir).vadDir()}/silero_vad.onnx`);
  const clips = [];
  for (const c of [jfk(), ...librivox()]) clips.push({ text: c.text, utts: await utterances(vad, f32(pcmOf([c.wav], 1.5)), Number(process.env.BENCH_ENDPOINT_MS ?? 500)) });
  console.log(`utterances: ${clips.map((c) => c.utts.map((u) => (u.length / SR).toFixed(1)).join('/')).join('  ')}`);
  // The window's margin is lib/whisper's (1 s); this bench sets the frame count itself to compare margins.
  const m = model as unknown as { windowFrames(pcm: Float32Array, trim?: boolean): number };
  const orig = m.windowFrames.bind(model);
  const rows = [];
  for (const margin of [30, ...(process.env.BENCH_FINAL_MARGINS ?? '1,3,5,8').split(',').map(Number)]) {
    m.windowFrames = (pcm, trim) => {
      if (!trim || margin >= 30) return orig(pcm, false);
      const f = Math.min(3000, Math.ceil(pcm.length / 160) + margin * 100);
      return f + (f % 2);
    };
    let ms = 0, n = 0, refW = 0, errW = 0;
    const perClip: string[] = [];
    for (const c of clips) {
      const hyp: string[] = [];
      for (const u of c.utts) {
        const t = performance.now();
        const r = await model.transcribeChunk(u, { language: 'en', wordTimestamps: true, temperatureFallback: true, trimWindow: margin < 30 });
        ms += performance.now() - t;
        n++;
        hyp.push(r.segments.map((s) => s.text.trim()).join(' '));
      }
      const w = normalizeWords(c.text).length;
      const wer = wordErrorRate(c.text, hyp.join(' '));
      refW += w;
      errW += wer * w;
      perClip.push((100 * wer).toFixed(1));
    }
    const row = { window: margin >= 30 ? 'padded 30 s' : `audio + ${margin} s`, 'WER %': +((100 * errW) / refW).toFixed(1), 'per clip WER %': perClip.join(' / '), 'ms per final': Math.round(ms / n) };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  console.table(rows);
  await model.release();
  await vad.release();
}
void main();

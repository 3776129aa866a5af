/**
 * `npx tsx bench/streaming-profile.ts`: where one stream's partial latency goes. One StreamRecognizer
 * (the engine thread's code, run in this process with its own DecodeQueue), jfk + 1.5 s silence fed
 * at real time in the bench client's 4096-sample frames, every decode timed (encoder ms on its window,
 * decoder steps and ms per step, time queued), and for each word of the finals the chain the bench's
 * "word → stable partial" is made of:
 *   word end sent → next partial decode starts (cadence, VAD, queueing behind other decodes)
 *   → the first decode holding the word returns (unstable) → the agreeing one returns (stable).
 * PROFILE_INTRA (intra-op threads, default 1: two engine threads on 2 cores), PROFILE_DECODER (fp32),
 * PROFILE_PARTIAL_MS / PROFILE_ENDPOINT_MS (the config's cadence and VAD hangover).
 */
import path from 'node:path';
import { WhisperModel } from '../lib/whisper';
import { SileroVad } from '../lib/vad/silero';
import { loadConfig } from '../lib/config';
import { ModelRegistry } from '../lib/models/registry';
import { DecodeQueue } from '../lib/streaming/decode-queue';
import { StreamRecognizer, type ClientMessage } from '../lib/streaming/recognizer';
import type { StreamAsr } from '../lib/streaming/stream-model';
import type { TranscribeChunkOptions } from '../lib/whisper/types';
import { pcmOf } from '../test/stream/stream-client';
import { jfk } from '../test/helpers/models';
import { normalizeWords } from '../test/helpers/wer';

interface Decode {
  kind: 'partial' | 'final';
  start: number;
  end: number;
  audioS: number;
  encMs: number;
  steps: number;
  stepMs: number;
  text: string;
}

async function main() {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const intra = Number(process.env.PROFILE_INTRA ?? 1);
  const model = await WhisperModel.load(path.join(config.modelsDir, 'whisper-stream', 'base'), { intraOpNumThreads: intra, decoder: (process.env.PROFILE_DECODER as 'fp32' | 'int8') ?? 'fp32' });
  const vad = await SileroVad.load(`${new ModelRegistry(config.modelsDir).vadDir()}/silero_vad.onnx`);
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  // Instrument the model's graphs (this bench only): encoder + cross K/V, and decoder steps.
  const sessions = (model as unknown as { sessions: { encode: Function; step: Function } }).sessions;
  let enc = 0, steps = 0, stepMs = 0;
  const origEncode = sessions.encode.bind(sessions), origStep = sessions.step.bind(sessions);
  sessions.encode = async (...a: unknown[]) => { const s = performance.now(); try { return await origEncode(...a); } finally { enc += performance.now() - s; } };
  sessions.step = async (...a: unknown[]) => { const s = performance.now(); try { return await origStep(...a); } finally { steps++; stepMs += performance.now() - s; } };
  const decodes: Decode[] = [];
  const asr: StreamAsr = {
    multilingual: model.multilingual,
    trimmableWindow: model.trimmableWindow,
    detectLanguage: (p, o) => model.detectLanguage(p, o),
    transcribeChunk: async (pcm: Float32Array, o: TranscribeChunkOptions) => {
      enc = 0; steps = 0; stepMs = 0;
      const start = now();
      const r = await model.transcribeChunk(pcm, o);
      decodes.push({ kind: o.wordTimestamps ? 'final' : 'partial', start, end: now(), audioS: pcm.length / 16000, encMs: enc, steps, stepMs, text: r.segments.map((s) => s.text).join('').trim() });
      return r;
    },
    release: () => model.release(),
  };
  const messages: Array<{ at: number; msg: ClientMessage }> = [];
  const rec = new StreamRecognizer('p', asr, vad.stream(), new DecodeQueue(), {
    language: 'en',
    partialIntervalMs: Number(process.env.PROFILE_PARTIAL_MS ?? config.stream.partialIntervalMs),
    endpointSilenceMs: Number(process.env.PROFILE_ENDPOINT_MS ?? config.stream.endpointSilenceMs),
    maxUtteranceSeconds: 25,
  }, (msg) => messages.push({ at: now(), msg }));

  const pcm = pcmOf([jfk().wav], 1.5);
  const sent: Array<{ at: number; audioEnd: number }> = [];
  let chain = Promise.resolve();
  const frame = 4096 * 2;
  const begin = now();
  for (let off = 0; off < pcm.length; off += frame) {
    const end = Math.min(pcm.length, off + frame);
    const wait = begin + (end / 2 / 16) - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const f = new Float32Array((end - off) / 2);
    for (let i = 0; i < f.length; i++) f[i] = pcm.readInt16LE(off + i * 2) / 32768;
    sent.push({ at: now(), audioEnd: end / 2 / 16000 });
    chain = chain.then(() => rec.push(f)); // in order, as the engine thread's per-stream chain
  }
  await chain;
  await rec.finish();
  const sentAt = (s: number) => sent.find((x) => x.audioEnd >= s)?.at ?? sent.at(-1)!.at;

  console.log('\ndecodes (ms from start; audio s; encoder ms; decoder steps × ms/step)');
  for (const d of decodes) console.log(`${d.kind.padEnd(7)} ${d.start.toFixed(0).padStart(6)}→${d.end.toFixed(0).padStart(6)} (${(d.end - d.start).toFixed(0).padStart(5)} ms) audio ${d.audioS.toFixed(2)} s enc ${d.encMs.toFixed(0)} steps ${d.steps}×${(d.stepMs / Math.max(1, d.steps)).toFixed(1)} "${d.text}"`);
  const texts = messages.filter((m) => typeof m.msg.text === 'string');
  console.log('\nfinals: utterance end sent → text ms');
  for (const t of texts) console.log(`  ${(t.at - sentAt(t.msg.end as number)).toFixed(0)} ms "${t.msg.text}"`);
  console.log('\nper word: end sent → next partial decode start → first decode holding it returns → stable partial (ms after word end)');
  const partials = decodes.filter((d) => d.kind === 'partial');
  const rows: number[][] = [];
  for (const t of texts) {
    for (const w of (t.msg.words as Array<{ word: string; end: number }>) ?? []) {
      const word = normalizeWords(w.word)[0];
      if (!word) continue;
      const we = sentAt(w.end);
      const next = partials.find((d) => d.start >= we);
      const holds = partials.find((d) => d.start >= we && normalizeWords(d.text).includes(word));
      const stable = messages.find((m) => m.at >= we && typeof m.msg.partial === 'string' && normalizeWords(m.msg.partial as string).includes(word));
      const r = [next ? next.start - we : NaN, holds ? holds.end - we : NaN, stable ? stable.at - we : NaN];
      rows.push(r);
      console.log(`  ${word.padEnd(10)} next decode +${r[0].toFixed(0)}  holds +${r[1].toFixed(0)}  stable +${r[2].toFixed(0)}`);
    }
  }
  const med = (xs: number[]) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)].toFixed(0) : 'n/a'; };
  const pd = partials.map((d) => d.end - d.start);
  console.log(`\nmedians: next decode +${med(rows.map((r) => r[0]))} ms, holds +${med(rows.map((r) => r[1]))} ms, stable +${med(rows.map((r) => r[2]))} ms (${rows.filter((r) => Number.isFinite(r[2])).length}/${rows.length} words stable before the final)`);
  console.log(`partial decode ${med(pd)} ms (enc ${med(partials.map((d) => d.encMs))}, steps ${med(partials.map((d) => d.steps))} × ${med(partials.map((d) => d.stepMs / Math.max(1, d.steps)))} ms); final decode ${med(decodes.filter((d) => d.kind === 'final').map((d) => d.end - d.start))} ms (enc ${med(decodes.filter((d) => d.kind === 'final').map((d) => d.encMs))})`);
  await model.release();
  await vad.release();
}
void main();

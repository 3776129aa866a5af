/**
 * `npx tsx bench/streaming-window.ts`: what the streaming graphs' trimmed window (encode the audio
 * present + 1 s instead of 30 s, lib/whisper trimWindow) costs in accuracy and saves in time, on jfk
 * and the LibriVox clips (Whisper base, greedy, CPU):
 *  - final: the whole clip with word times and fallback, as a stream's final decode: WER against the
 *    reference and ms per clip, padded 30 s window vs trimmed;
 *  - partial: every 1 s prefix of each clip, as a stream's partial decode (token cap): ms per decode,
 *    runaway decodes (more words than the audio can hold) and WER against the full clip's decode prefix.
 * BENCH_WINDOW_DECODERS (fp32,int8), BENCH_THREADS (2).
 */
import path from 'node:path';
import { WhisperModel } from '../lib/whisper';
import { loadConfig } from '../lib/config';
import { pcmOf } from '../test/stream/stream-client';
import { jfk, librivox } from '../test/helpers/models';
import { normalizeWords, wordErrorRate } from '../test/helpers/wer';

const f32 = (b: Buffer) => {
  const p = new Float32Array(b.length / 2);
  for (let i = 0; i < p.length; i++) p[i] = b.readInt16LE(i * 2) / 32768;
  return p;
};

async function main() {
  const dir = path.join(loadConfig(process.env).modelsDir, 'whisper-stream', 'base');
  const files = [jfk(), ...librivox()].map((c) => ({ pcm: f32(pcmOf([c.wav])), text: c.text }));
  const rows: Array<Record<string, string | number>> = [];
  for (const decoder of (process.env.BENCH_WINDOW_DECODERS ?? 'fp32,int8').split(',') as Array<'fp32' | 'int8'>) {
    const m = await WhisperModel.load(dir, { intraOpNumThreads: Number(process.env.BENCH_THREADS ?? 2), decoder });
    for (const trimWindow of [false, true]) {
      let refW = 0, errW = 0, tFinal = 0, tPart = 0, nPart = 0, runaway = 0, pErr = 0, pRef = 0;
      for (const f of files) {
        const t0 = performance.now();
        const r = await m.transcribeChunk(f.pcm, { language: 'en', trimWindow, wordTimestamps: true, temperatureFallback: true });
        tFinal += performance.now() - t0;
        const hyp = r.segments.map((s) => s.text).join('');
        const n = normalizeWords(f.text).length;
        refW += n;
        errW += wordErrorRate(f.text, hyp) * n;
        for (let s = 1; s * 16000 < f.pcm.length; s++) {
          const t1 = performance.now();
          const p = await m.transcribeChunk(f.pcm.slice(0, s * 16000), { language: 'en', trimWindow, beamSize: 1, maxTokens: s * 8 + 10 });
          tPart += performance.now() - t1;
          nPart++;
          const ph = normalizeWords(p.segments.map((x) => x.text).join(''));
          if (ph.length > s * 4 + 4) runaway++;
          const prefix = normalizeWords(hyp).slice(0, Math.max(1, ph.length));
          pRef += prefix.length;
          pErr += wordErrorRate(prefix.join(' '), ph.join(' ')) * prefix.length;
        }
      }
      rows.push({
        decoder,
        window: trimWindow ? 'trimmed (audio + 1 s)' : 'padded 30 s',
        'final WER %': +((100 * errW) / refW).toFixed(1),
        'final ms/clip': Math.round(tFinal / files.length),
        'partial ms': Math.round(tPart / nPart),
        'partial runaway': `${runaway}/${nPart}`,
        'partial vs final-prefix WER %': +((100 * pErr) / pRef).toFixed(1),
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
    await m.release();
  }
  console.table(rows);
}
void main();

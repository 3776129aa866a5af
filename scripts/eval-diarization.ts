/**
 * Scores the diarizer on your own recordings with reference turns (RTTM): DER with the usual 0.25 s
 * collar (md-eval semantics), its parts, the speaker count and the real-time factor, per file and pooled.
 *   node --import tsx scripts/eval-diarization.ts [--speakers N] [--collar 0.25] a.wav a.rttm [b.mp3 b.rttm ...]
 * Any format ffmpeg reads works. Pass --speakers to give the count (default: estimated per file);
 * --count-rule threshold|eigengap and --threshold S override the estimate's settings, to try them on
 * your own calls.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { countSeconds, decodePcm16k } from '../lib/audio';
import { loadConfig } from '../lib/config';
import { diarizationError } from '../lib/diarization/der';
import { Diarizer } from '../lib/diarization/diarizer';
import { SpeakerEmbedder } from '../lib/diarization/embedder';
import { parseRttm } from '../lib/diarization/rttm';
import { ModelRegistry } from '../lib/models/registry';
import { SileroVad } from '../lib/vad/silero';

async function main() {
  const { values, positionals } = parseArgs({ options: { speakers: { type: 'string' }, collar: { type: 'string' }, 'count-rule': { type: 'string' }, threshold: { type: 'string' } }, allowPositionals: true });
  if (!positionals.length || positionals.length % 2) throw new Error('usage: eval-diarization.ts [--speakers N] [--collar S] AUDIO RTTM [AUDIO RTTM ...]');
  const config = loadConfig();
  const registry = new ModelRegistry(config.modelsDir);
  const vad = await SileroVad.load(`${registry.vadDir()}/silero_vad.onnx`);
  const embedder = await SpeakerEmbedder.load(registry.speakerDir(), { intraOpNumThreads: config.inference.threads || undefined });
  const rule = values['count-rule'];
  if (rule && rule !== 'threshold' && rule !== 'eigengap') throw new Error(`--count-rule must be threshold or eigengap, not ${rule}`);
  const diarizer = new Diarizer(vad, embedder, {
    ...(rule ? { countRule: rule as 'threshold' | 'eigengap' } : {}),
    ...(values.threshold ? { threshold: Number(values.threshold) } : {}),
  });
  const collar = Number(values.collar ?? 0.25);
  let errorS = 0;
  let scoredS = 0;
  let seconds = 0;
  let audioS = 0;
  for (let i = 0; i < positionals.length; i += 2) {
    const [audio, rttm] = [positionals[i], positionals[i + 1]];
    const ref = parseRttm(fs.readFileSync(rttm, 'utf8'));
    const t0 = performance.now();
    const pcm = countSeconds(decodePcm16k(audio, { ffmpeg: config.media.ffmpeg }));
    const out = await diarizer.diarize(pcm.stream, { speakers: Number(values.speakers ?? 0) });
    const duration = pcm.seconds();
    const took = (performance.now() - t0) / 1000;
    const d = diarizationError(ref, out.turns, { collar });
    errorS += d.missedSeconds + d.falseAlarmSeconds + d.confusionSeconds;
    scoredS += d.scoredSeconds;
    seconds += took;
    audioS += duration;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      `${audio}: DER ${pct(d.der)} (missed ${pct(d.missed)}, false alarm ${pct(d.falseAlarm)}, confusion ${pct(d.confusion)}); ` +
        `speakers ${out.speakers} found / ${d.refSpeakers} in reference; RTF ${(took / duration).toFixed(3)}`,
    );
  }
  console.log(`pooled: DER ${((errorS / Math.max(scoredS, 1e-9)) * 100).toFixed(1)}% over ${scoredS.toFixed(1)} s scored; RTF ${(seconds / audioS).toFixed(3)}`);
  await embedder.release();
  await vad.release();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

/**
 * Our side of the diarization benchmark, in its own process so its peak RSS is per process (comparable
 * with the peer's). Runs the production diarizer (lib/diarization: decodePcm16k → Silero VAD → CAM++
 * windows → clustering) without Temporal or storage, on CPU.
 *
 *   node --import tsx bench/diarization-worker.ts --threads 2 cases.json
 *
 * cases.json: [{ name, wav, speakers }] (speakers 0 = estimate). stdout: JSON lines, the same events as
 * bench/peer/sherpa_diarization.py (load, file, done); peak_rss_kb is the process's VmHWM so far (KB).
 */
import fs from 'node:fs';
import { countSeconds, decodePcm16k } from '../lib/audio';
import { Diarizer } from '../lib/diarization/diarizer';
import { SpeakerEmbedder } from '../lib/diarization/embedder';
import { SileroVad } from '../lib/vad/silero';
import { speakerModelDir, vadModelFile } from '../test/helpers/models';
import { emit, peakRssKb, runWorker } from './worker-io';


async function main() {
  const argv = process.argv.slice(2);
  const ti = argv.indexOf('--threads');
  const threads = ti >= 0 ? Number(argv[ti + 1]) : 2;
  const file = argv.filter((_, i) => i !== ti && i !== ti + 1)[0];
  const cases = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ name: string; wav: string; speakers: number }>;

  const t0 = performance.now();
  const vad = await SileroVad.load(vadModelFile());
  const embedder = await SpeakerEmbedder.load(speakerModelDir(), { intraOpNumThreads: threads, executionProviders: ['cpu'] });
  const diarizer = new Diarizer(vad, embedder);
  emit({
    event: 'load',
    seconds: (performance.now() - t0) / 1000,
    peak_rss_kb: peakRssKb(),
    versions: { node: process.version, onnxruntime_node: require('onnxruntime-node/package.json').version as string, embedding: embedder.id },
  });
  for (const c of cases) {
    const start = performance.now();
    const pcm = countSeconds(decodePcm16k(c.wav, { ffmpeg: process.env.FFMPEG_PATH ?? 'ffmpeg', chunkSamples: 16_000 * 5 }));
    const r = await diarizer.diarize(pcm.stream, { speakers: c.speakers });
    emit({ event: 'file', name: c.name, turns: r.turns, seconds: (performance.now() - start) / 1000, duration: pcm.seconds(), peak_rss_kb: peakRssKb() });
  }
  emit({ event: 'done', peak_rss_kb: peakRssKb() });
}

runWorker(main);

/**
 * The diarization front end against references: our Kaldi fbank against the numpy implementation
 * (itself checked against torchaudio), and the installed CAM++ ONNX against PyTorch's output for the
 * same input (written by scripts/models/speaker/export_campplus.py at install time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { KaldiFbank } from '../../lib/diarization/fbank';
import { SpeakerEmbedder } from '../../lib/diarization/embedder';
import { speakerModelDir } from '../helpers/models';

it('computes Kaldi fbank + CMN like the reference implementation', () => {
  const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/campplus-fbank-reference.json'), 'utf8'));
  const w = Float32Array.from({ length: 4000 }, (_, i) =>
    0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000) + 0.2 * Math.sin((2 * Math.PI * 1234 * i) / 16000 + 0.5) + 0.05 * (((i * 7919) % 1000) / 1000 - 0.5),
  );
  const f = new KaldiFbank(80).computeCmn(w);
  expect(KaldiFbank.frames(w.length)).toBe(ref.frames);
  expect(f.length).toBe(ref.frames * ref.bins);
  let worst = 0;
  f.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - ref.features[i]))));
  expect(worst).toBeLessThan(1e-3);
});

it('runs the exported CAM++ like PyTorch did, for any clip length', async () => {
  const dir = speakerModelDir();
  const embedder = await SpeakerEmbedder.load(dir, { intraOpNumThreads: 1 });
  try {
    const refs = JSON.parse(fs.readFileSync(path.join(dir, 'reference.json'), 'utf8')) as Array<{ frames: number; x: number[]; embedding: number[] }>;
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const r of refs) {
      const y = await embedder.embedFeatures(Float32Array.from(r.x), 1, r.frames);
      expect(y.length).toBe(192);
      let worst = 0;
      y.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - r.embedding[i]))));
      expect(worst).toBeLessThan(1e-3);
    }
  } finally {
    await embedder.release();
  }
});

import { beamSearch, rankCandidates, topK } from '../../lib/whisper/beam';
import { decodeOnce } from '../../lib/whisper/decode';
import { LogMel } from '../../lib/whisper/log-mel';
import { readManifest } from '../../lib/whisper/manifest';
import { decodeConfig } from '../../lib/whisper/model';
import { WhisperSessions } from '../../lib/whisper/sessions';
import { WhisperTokenizer } from '../../lib/whisper/tokenizer';
import { WhisperModel, type ChunkResult } from '../../lib/whisper';
import { jfkWav, librivoxClips, whisperModelDir } from './fixtures';
import { readWav16kMono } from '../helpers/wav';
import { wordErrorRate } from '../helpers/wer';

const JFK_REFERENCE = 'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';
const text = (r: ChunkResult) => r.segments.map((s) => s.text).join('');

/** Segments and words in order, inside the audio, words inside their segment and partitioning its text. */
function expectValidTimes(r: ChunkResult, seconds: number): void {
  let prev = 0;
  for (const seg of r.segments) {
    expect(seg.start).toBeGreaterThanOrEqual(prev);
    expect(seg.end).toBeGreaterThan(seg.start);
    expect(seg.end).toBeLessThanOrEqual(seconds + 0.02);
    expect(seg.words.length).toBeGreaterThan(0);
    expect(seg.words.map((w) => w.word).join('')).toBe(seg.text);
    for (const w of seg.words) {
      expect(w.start).toBeGreaterThanOrEqual(Math.max(prev, seg.start) - 1e-9);
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.end).toBeLessThanOrEqual(seg.end + 1e-9);
      prev = w.start;
    }
    prev = Math.max(prev, seg.end);
  }
}

describe('beam search building blocks', () => {
  test('topK: the k largest, largest first, ties in index order', () => {
    const x = Float32Array.from([0.5, 3, -Infinity, 3, 7, 1, 7]);
    expect(topK(x, 3)).toEqual([4, 6, 1]);
    expect(topK(x, 10)).toEqual([4, 6, 1, 3, 5, 0, 2]);
  });

  test('ranking: sum / length by default, the GNMT penalty with an alpha', () => {
    const short = { tokens: [1, 2], logprobs: [], sumLogprob: -1.0 }; // -0.5 per token
    const long = { tokens: [1, 2, 3, 4, 5, 6], logprobs: [], sumLogprob: -2.4 }; // -0.4 per token
    expect(rankCandidates([short, long], null)).toBe(long);
    // alpha 0: no normalisation, the raw sum wins
    expect(rankCandidates([short, long], 0)).toBe(short);
    // alpha 1: penalties 7/6 and 11/6 → -0.857 vs -1.309
    expect(rankCandidates([short, long], 1)).toBe(short);
  });
});

describe('beam search on real speech (Whisper base)', () => {
  let fp32: WhisperModel;
  beforeAll(async () => {
    fp32 = await WhisperModel.load(whisperModelDir(), { intraOpNumThreads: 2 });
  });
  afterAll(async () => {
    await fp32?.release();
  });

  test('beam 1 is greedy decoding exactly (tokens, log-probs, no-speech probability); batched beams match lone runs', async () => {
    const dir = whisperModelDir();
    const m = await readManifest(dir);
    const tok = await WhisperTokenizer.load(dir, m.special_tokens.eot);
    const sessions = await WhisperSessions.create(dir, m, { executionProviders: ['cpu'], intraOpNumThreads: 2, decoderFile: 'decoder.onnx' });
    try {
      const cfg = decodeConfig(m);
      const sp = m.special_tokens;
      const prompt = [sp.sot, m.language_tokens.en, sp.transcribe];
      const cross = await sessions.encode(new LogMel(m.dims.n_mels).compute(readWav16kMono(jfkWav())));
      const greedy = await decodeOnce(sessions, cross, prompt, cfg, tok, 0, 1);
      const beam = await beamSearch(sessions, cross, prompt, cfg, { beamSize: 1 });
      expect(greedy.tokens.length).toBeGreaterThan(10);
      expect(beam.tokens).toEqual(greedy.tokens);
      expect(beam.logprobs).toEqual(greedy.logprobs);
      expect(beam.sumLogprob / (beam.tokens.length + 1)).toBe(greedy.avgLogprob);
      expect(beam.noSpeechProb).toBe(greedy.noSpeechProb);

      // Batched beams share the window's batch-1 cross K/V (the graph broadcasts it): two beams in one run
      // give each beam's logits as a run of its own would.
      const first = await sessions.step(prompt, sessions.emptyCache(), cross);
      const next = [greedy.tokens[0], greedy.tokens[0] + 1];
      const both = await sessions.step(next, sessions.reorderCache(first.cache, [0, 0]), cross, 2);
      // And a second batched step: positions advance by one token per beam, not by the batch's token count
      // (an offset that grew by the beam count shifted every position and overran the 448 positions).
      const then = [greedy.tokens[1], greedy.tokens[1]];
      const both2 = await sessions.step(then, both.cache, cross, 2);
      expect(both.cache.length).toBe(both.cache.k.dims[3]);
      expect(both2.cache.length).toBe(both2.cache.k.dims[3]);
      for (let b = 0; b < 2; b++) {
        const alone = await sessions.step([next[b]], first.cache, cross);
        const alone2 = await sessions.step([then[b]], alone.cache, cross);
        for (const [batched, lone] of [[both.logits, alone.logits], [both2.logits, alone2.logits]]) {
          const row = batched.subarray(b * cfg.nVocab, (b + 1) * cfg.nVocab);
          let maxDiff = 0;
          for (let i = 0; i < cfg.nVocab; i++) maxDiff = Math.max(maxDiff, Math.abs(row[i] - lone[i]));
          expect(maxDiff).toBeLessThan(1e-3);
        }
      }
    } finally {
      await sessions.release();
    }
  }, 120_000);

  test('beam 5 on jfk and two LibriVox clips: WER ≤ greedy\'s, valid segment and word times', async () => {
    const clips = [{ wav: jfkWav(), text: JFK_REFERENCE }, ...librivoxClips().slice(0, 2)];
    let greedyEdits = 0;
    let beamEdits = 0;
    for (const clip of clips) {
      const pcm = readWav16kMono(clip.wav);
      const opts = { language: 'en', wordTimestamps: true, temperatureFallback: true };
      const g = await fp32.transcribeChunk(pcm, { ...opts, beamSize: 1 });
      const b = await fp32.transcribeChunk(pcm, { ...opts, beamSize: 5 });
      const words = clip.text.split(/\s+/).length;
      greedyEdits += wordErrorRate(clip.text, text(g)) * words;
      beamEdits += wordErrorRate(clip.text, text(b)) * words;
      expect(wordErrorRate(clip.text, text(b))).toBeLessThanOrEqual(0.1);
      expect(b.noSpeechProb).toBeCloseTo(g.noSpeechProb, 6); // read from the first step, before any beam
      expectValidTimes(b, pcm.length / 16000);
    }
    expect(beamEdits).toBeLessThanOrEqual(greedyEdits + 1e-9);
  }, 300_000);

  test('int8 decoder with beam 5 as the load default: jfk within WER 0.1, valid times', async () => {
    const int8 = await WhisperModel.load(whisperModelDir(), { decoder: 'int8', beamSize: 5, intraOpNumThreads: 2 });
    try {
      expect(int8.beamSize).toBe(5);
      const pcm = readWav16kMono(jfkWav());
      const r = await int8.transcribeChunk(pcm, { language: 'en', wordTimestamps: true, temperatureFallback: true });
      expect(wordErrorRate(JFK_REFERENCE, text(r))).toBeLessThanOrEqual(0.1);
      expectValidTimes(r, pcm.length / 16000);
    } finally {
      await int8.release();
    }
  }, 180_000);
});

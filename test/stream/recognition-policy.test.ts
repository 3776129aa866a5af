/** The streaming recogniser's pure parts: local agreement, endpointing, decode order and coalescing, the final's window. */
import { LocalAgreement } from '../../lib/streaming/local-agreement';
import { Endpointer } from '../../lib/streaming/endpointer';
import { DecodeQueue } from '../../lib/streaming/decode-queue';
import { int16leToFloat32 } from '../../lib/streaming/pcm';
import { StreamRecognizer, partialTokenCap } from '../../lib/streaming/recognizer';
import { FINAL_PAD_SECONDS, finalWindow } from '../../lib/streaming/final-window';
import type { StreamAsr } from '../../lib/streaming/stream-model';
import type { VadStream } from '../../lib/vad/silero';
import type { TranscribeChunkOptions } from '../../lib/whisper/types';

it('local agreement: only words two consecutive decodes agree on become stable, and stable words never change', () => {
  const a = new LocalAgreement();
  expect(a.update('ask not')).toEqual({ stable: '', unstable: 'ask not', grew: false });
  expect(a.update('ask not what')).toEqual({ stable: 'ask not', unstable: 'what', grew: true });
  // A revision of a stable word does not flicker it: the stable words stay as first agreed; past them, agreement goes on.
  expect(a.update('Ask knot what your')).toEqual({ stable: 'ask not what', unstable: 'your', grew: true });
  expect(a.update('ask not what our')).toEqual({ stable: 'ask not what', unstable: 'our', grew: false });
  expect(a.update('ask not what your country')).toEqual({ stable: 'ask not what', unstable: 'your country', grew: false });
  expect(a.update('ask not what your country')).toEqual({ stable: 'ask not what your country', unstable: '', grew: true });
  // Punctuation and case do not count as disagreement.
  expect(a.update('Ask not, what your country can.').stable).toBe('ask not what your country');
  expect(a.update('Ask not, what your country can do').stable).toBe('ask not what your country can');
  a.reset();
  expect(a.update('new utterance').stable).toBe('');
});

it('endpointer: speech starts over the onset, ends after the configured silence under the offset', () => {
  const e = new Endpointer({ endSilenceMs: 96, sampleRate: 16000 }); // 3 windows of 32 ms
  const events = [0.1, 0.9, 0.8, 0.2, 0.6, 0.1, 0.1, 0.1, 0.1].map((p) => e.push(p));
  expect(events[1]).toEqual({ kind: 'start', at: 512 });
  // 0.6 between the dips is above the offset: the first dip does not end the utterance.
  expect(events.slice(2, 7).every((x) => x === undefined)).toBe(true);
  expect(events[7]).toEqual({ kind: 'end', at: 8 * 512, speechEnd: 5 * 512 });
});

it('decode queue: finals first and all of them, one waiting partial per stream (a newer one replaces it and reports behind)', async () => {
  const q = new DecodeQueue();
  const ran: string[] = [];
  const job = (name: string) => async () => void ran.push(name);
  const behind1 = q.partial('a', job('a1'));
  const behind2 = q.partial('a', job('a2'));
  q.partial('b', job('b1'));
  const f1 = q.final(job('f1'));
  const f2 = q.final(job('f2'));
  await Promise.all([f1, f2]);
  await new Promise((r) => setTimeout(r, 50));
  expect([behind1, behind2]).toEqual([false, true]);
  expect(ran).toEqual(['f1', 'f2', 'a2', 'b1']);
});

it('PCM Int16 LE to float', () => {
  const b = Buffer.alloc(6);
  b.writeInt16LE(-32768, 0);
  b.writeInt16LE(16384, 2);
  b.writeInt16LE(-1, 4);
  expect(Array.from(int16leToFloat32(b.subarray(0)))).toEqual([-1, 0.5, -1 / 32768]);
});

it("a final decodes the utterance + 7 s of silence on the trimmed window (the padded 30 s window's words at a fraction of its encoder time), times clamped to the utterance", async () => {
  const calls: Array<{ samples: number; opts: TranscribeChunkOptions }> = [];
  const asr: StreamAsr = {
    multilingual: false,
    trimmableWindow: true,
    detectLanguage: async () => ({ language: 'en', probability: 1 }),
    transcribeChunk: async (pcm, opts) => {
      calls.push({ samples: pcm.length, opts });
      const end = pcm.length / 16000; // a segment and word running into the padding, as Whisper may time them
      return { language: 'en', noSpeechProb: 0, segments: [{ start: 0.1, end, text: ' Ask not.', confidence: 0.9, avgLogprob: -0.1, words: [{ word: ' Ask', start: 0.1, end: 0.5, probability: 0.9 }, { word: ' not.', start: 0.5, end, probability: 0.9 }] }] };
    },
    release: async () => undefined,
  };
  // VAD stand-in: a window is speech when it holds sound.
  const vad = { push: async (pcm: Float32Array) => Float32Array.from({ length: pcm.length / 512 }, (_, i) => (pcm[i * 512] !== 0 ? 0.9 : 0)) } as unknown as VadStream;
  const sent: Array<Record<string, unknown>> = [];
  const r = new StreamRecognizer('s', asr, vad, new DecodeQueue(), { language: 'en', partialIntervalMs: 60_000, endpointSilenceMs: 300, maxUtteranceSeconds: 25 }, (m) => sent.push(m));
  const speech = new Float32Array(512 * 50).fill(0.1); // 1.6 s
  await r.push(speech);
  await r.push(new Float32Array(512 * 25)); // 0.8 s of silence: the endpoint
  const { parts } = await r.finish();
  const finals = calls.filter((c) => c.opts.wordTimestamps);
  expect(finals).toHaveLength(1);
  expect(finals[0].opts.trimWindow).toBe(true);
  const utterance = parts[0].chunkEnd - parts[0].chunkStart;
  expect(finals[0].samples).toBe(Math.round(utterance * 16000) + FINAL_PAD_SECONDS * 16000);
  const text = sent.find((m) => typeof m.text === 'string')!;
  expect(text.text).toBe('Ask not.');
  expect(text.end as number).toBeCloseTo(parts[0].chunkEnd, 3);
  expect(Math.max(...parts[0].segments.map((s) => s.end))).toBeCloseTo(utterance, 5);
  // Close to 30 s there is no room for padding (samples past 30 s are not decoded), and graphs that only take 30 s get the audio as it is.
  expect(finalWindow(new Float32Array(29 * 16000), true).length).toBe(30 * 16000);
  expect(finalWindow(new Float32Array(16000), false).length).toBe(16000);
});

it('partials decode on the partial graphs (transcribePartial: VOXFLOW_STREAM_PARTIAL_DECODER) and finals on the finals\' (transcribeChunk)', async () => {
  const used: Array<{ fn: 'partial' | 'final'; wordTimestamps: boolean; maxTokens?: number }> = [];
  const result = { language: 'en', noSpeechProb: 0, segments: [{ start: 0, end: 1, text: ' Ask not.', confidence: 0.9, avgLogprob: -0.1, words: [] }] };
  const asr: StreamAsr = {
    multilingual: false,
    trimmableWindow: true,
    detectLanguage: async () => ({ language: 'en', probability: 1 }),
    transcribeChunk: async (_pcm, opts) => (used.push({ fn: 'final', wordTimestamps: !!opts.wordTimestamps, maxTokens: opts.maxTokens }), result),
    transcribePartial: async (_pcm, opts) => (used.push({ fn: 'partial', wordTimestamps: !!opts.wordTimestamps, maxTokens: opts.maxTokens }), result),
    release: async () => undefined,
  };
  const vad = { push: async (pcm: Float32Array) => Float32Array.from({ length: pcm.length / 512 }, (_, i) => (pcm[i * 512] !== 0 ? 0.9 : 0)) } as unknown as VadStream;
  const r = new StreamRecognizer('s', asr, vad, new DecodeQueue(), { language: 'en', partialIntervalMs: 300, endpointSilenceMs: 300, maxUtteranceSeconds: 25 }, () => undefined);
  for (let i = 0; i < 5; i++) {
    await r.push(new Float32Array(512 * 10).fill(0.1)); // 0.32 s of sound each: a partial comes due
    await new Promise((res) => setTimeout(res, 10)); // let the decode queue run it
  }
  await r.push(new Float32Array(512 * 25));
  await r.finish();
  const partials = used.filter((u) => u.fn === 'partial');
  expect(partials.length).toBeGreaterThan(0);
  expect(partials.every((u) => !u.wordTimestamps && u.maxTokens !== undefined)).toBe(true);
  expect(used.filter((u) => u.fn === 'final')).toEqual([{ fn: 'final', wordTimestamps: true, maxTokens: undefined }]);
});

it("a partial's token cap: the rate cap on its audio at first, then the previous partial's words plus the new audio's (a loop stops near what was said)", () => {
  const s = (x: number) => Math.round(x * 16000);
  expect(partialTokenCap(s(5))).toBe(50); // 8 tokens/s + 10
  // 5 s in, the previous partial (0.3 s earlier) said 12 words: 2 a word + 8/s of the 0.3 s, rounded up, + 8 = 35 instead of 50.
  expect(partialTokenCap(s(5), { words: 12, newSamples: s(0.3) })).toBe(35);
  // Never above the rate cap (a previous runaway decode's words do not raise it).
  expect(partialTokenCap(s(5), { words: 100, newSamples: s(0.3) })).toBe(50);
});

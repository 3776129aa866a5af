/**
 * No lost speech (issue #10), on real recordings through the real pipeline (Silero VAD chunker →
 * Whisper base with the coverage pass → assembly): every speech region the VAD found is covered by
 * words or reported as dropped with a reason, segments never overlap, no word sits on both sides
 * of a segment boundary, and each utterance of a joined recording is in the transcript.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assembleTranscript, type TranscriptPart } from '../../lib/asr/assemble';
import { speechChunks } from '../../lib/asr/chunker';
import { MIN_COVERED_SHARE, MIN_UNCOVERED_S, transcribeCovering } from '../../lib/asr/coverage';
import { decodePcm16k } from '../../lib/audio';
import type { Transcript } from '../../lib/transcript/types';
import { SileroVad } from '../../lib/vad/silero';
import type { SpeechRegion } from '../../lib/vad/segments';
import { WhisperModel } from '../../lib/whisper';
import { asteriskPrompt, jfk, librivox, vadModelFile } from '../helpers/models';
import { normalizeWords } from '../helpers/wer';
import { whisperModelDir } from '../whisper/fixtures';

jest.setTimeout(300_000);

let vad: SileroVad;
let whisper: WhisperModel;
let dir: string;
beforeAll(async () => {
  vad = await SileroVad.load(vadModelFile());
  whisper = await WhisperModel.load(whisperModelDir());
  dir = path.join(process.env.VOXFLOW_TEST_DIR!, 'lost-speech');
  fs.mkdirSync(dir, { recursive: true });
});
afterAll(async () => {
  await vad?.release();
  await whisper?.release();
});

/** Joins clips with pauses (seconds) after each, then makes it telephone audio: 8 kHz μ-law with a little noise. */
function telephoneJoin(name: string, clips: string[], pauses: number[]): string {
  const inputs = clips.flatMap((c) => ['-i', c]);
  const parts = clips.map((_, i) => `[${i}:a]aresample=16000,aformat=channel_layouts=mono,apad=pad_dur=${pauses[i % pauses.length]}[a${i}]`).join(';');
  const joined = `${parts};${clips.map((_, i) => `[a${i}]`).join('')}concat=n=${clips.length}:v=0:a=1[j]`;
  const noisy = `${joined};anoisesrc=c=pink:a=0.004:r=16000:d=600:seed=1[n];[j][n]amix=inputs=2:duration=first:normalize=0,aresample=8000[o]`;
  const out = path.join(dir, name);
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...inputs, '-filter_complex', noisy, '-map', '[o]', '-c:a', 'pcm_mulaw', '-ar', '8000', '-ac', '1', out]);
  return out;
}

async function transcribe(file: string, language: string) {
  const parts: TranscriptPart[] = [];
  const regions: SpeechRegion[] = [];
  for await (const chunk of speechChunks(decodePcm16k(file, { ffmpeg: 'ffmpeg', chunkSamples: 16000 * 5 }), vad)) {
    regions.push(...chunk.regions);
    const res = await transcribeCovering(whisper, chunk, { language, wordTimestamps: true, temperatureFallback: true });
    parts.push({ chunkStart: chunk.start, chunkEnd: chunk.end, segments: res.segments, dropped: res.dropped, redecoded: res.redecoded });
  }
  const transcript = assembleTranscript(parts, { model: 'base', language, duration: 0 });
  const dropped = parts.flatMap((p) => (p.dropped ?? []).map((d) => ({ ...d, start: d.start + p.chunkStart, end: d.end + p.chunkStart })));
  return { transcript, regions, dropped, redecoded: parts.reduce((a, p) => a + (p.redecoded ?? 0), 0) };
}

/** Each utterance is heard: most of its longer words are in the transcript (Whisper base on 8 kHz μ-law is not perfect). */
function expectEachHeard(t: Transcript, clips: Array<{ text: string }>): void {
  const heard = new Set(normalizeWords(t.text));
  for (const c of clips) {
    const ref = normalizeWords(c.text).filter((w) => w.length > 3);
    const found = ref.filter((w) => heard.has(w)).length;
    expect({ utterance: c.text, recall: found / ref.length >= 0.5 }).toEqual({ utterance: c.text, recall: true });
  }
}

function expectInvariants(t: Transcript, regions: SpeechRegion[], dropped: SpeechRegion[]): void {
  const words = t.segments.flatMap((s) => s.words);
  // 1. Every region is covered by words, or was reported dropped (with a reason) by the coverage pass.
  for (const r of regions) {
    if (r.end - r.start < MIN_UNCOVERED_S) continue;
    const covered = words.reduce((a, w) => a + Math.max(0, Math.min(r.end, w.end) - Math.max(r.start, w.start)), 0);
    const reported = dropped.some((d) => d.start < r.end && d.end > r.start);
    if (covered / (r.end - r.start) < MIN_COVERED_SHARE / 2) expect({ region: r, reported }).toEqual({ region: r, reported: true });
  }
  // 2. Segments never overlap.
  for (let i = 1; i < t.segments.length; i++) expect(t.segments[i].start).toBeGreaterThanOrEqual(t.segments[i - 1].end);
  // 3. No word on both sides of a boundary: a segment's first word is not the previous one's last word at the same time.
  for (let i = 1; i < t.segments.length; i++) {
    const last = t.segments[i - 1].words.at(-1);
    const first = t.segments[i].words[0];
    if (last && first && normalizeWords(last.word)[0] === normalizeWords(first.word)[0]) expect(first.start).toBeGreaterThanOrEqual(last.end);
  }
}

it('a telephone recording of joined English utterances keeps every one of them, whatever the chunk boundaries', async () => {
  // Different utterances, as in real calls (one sentence said verbatim three times in a window compresses
  // like a repetition loop and sends Whisper into its temperature fallback: a test of something else).
  const clips = [jfk(), ...librivox()];
  const file = telephoneJoin('en-joined.wav', clips.map((c) => c.wav), [0.7, 1.1, 0.5]);
  const { transcript, regions, dropped, redecoded } = await transcribe(file, 'en');
  console.log(`en joined: ${transcript.segments.length} segments, ${regions.length} regions, redecoded ${redecoded}, dropped ${JSON.stringify(dropped)}\n${transcript.text}`);
  expectInvariants(transcript, regions, dropped);
  expectEachHeard(transcript, clips);
});

it('a telephone recording of joined Spanish prompts keeps every prompt', async () => {
  const names = ['vm-goodbye', 'conf-getpin', 'demo-congrats', 'vm-intro', 'conf-locked', 'agent-pass'].filter((n) => fs.existsSync(`/usr/share/asterisk/sounds/es_MX_f_Allison/${n}.wav`));
  expect(names.length).toBeGreaterThanOrEqual(5);
  const prompts = names.map((n) => asteriskPrompt('es', n));
  const file = telephoneJoin('es-prompts.wav', prompts.map((p) => p.wav), [0.8, 1.4, 0.6]);
  const { transcript, regions, dropped } = await transcribe(file, 'es');
  console.log(`es prompts: ${transcript.segments.length} segments, ${regions.length} regions, dropped ${JSON.stringify(dropped)}\n${transcript.text}`);
  expectInvariants(transcript, regions, dropped);
  expectEachHeard(transcript, prompts);
});

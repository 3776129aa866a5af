/**
 * The TTS front end against Piper's own runtime: the phoneme ids our espeak-ng + id mapping give
 * equal, id for id, what piper-tts 1.8 (PiperVoice.phonemize + phonemes_to_ids, recorded in
 * piper-1.8-ids.json) gives for the same text and voice, sentence by sentence. Also the splitting
 * rules and the WAV writer. Needs espeak-ng and the voice (scripts/models/install-tts.sh).
 */
import childProcess from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { phonemesToIds } from '../../lib/tts/phoneme-ids';
import { espeakEngine, phonemizeSentence, phonemizeSentences } from '../../lib/tts/phonemize';
import { MAX_SENTENCE_CHARS, splitClauses, splitSentences } from '../../lib/tts/sentences';
import { readVoiceConfig } from '../../lib/tts/voice-config';
import { readWav16 } from '../../lib/tts/synthesize';
import { toInt16, wavHeader } from '../../lib/tts/wav';
import { cacheDir, librivox } from '../helpers/models';

const voiceDir = path.join(cacheDir(), 'models', 'tts', 'en_US-joe-medium');
const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, 'piper-1.8-ids.json'), 'utf8')) as { cases: Array<{ text: string; sentences: number[][] }> };

it.each(recorded.cases.map((c) => [c.text, c.sentences] as const))('phoneme ids equal Piper 1.8 for %j', async (text, expected) => {
  const config = readVoiceConfig(path.join(voiceDir, 'en_US-joe-medium.onnx.json'));
  const ours: number[][] = [];
  for (const s of splitSentences(text)) ours.push(phonemesToIds(await phonemizeSentence(splitClauses(s), { bin: 'espeak-ng', voice: config.espeakVoice }), config.phonemeIdMap));
  expect(ours).toEqual(expected);
});

it('one espeak-ng run for all the recorded texts gives the same ids as one run per sentence (Piper 1.8)', async () => {
  const config = readVoiceConfig(path.join(voiceDir, 'en_US-joe-medium.onnx.json'));
  const sentences = recorded.cases.flatMap((c) => splitSentences(c.text));
  const batched = await phonemizeSentences(sentences.map(splitClauses), { bin: 'espeak-ng', voice: config.espeakVoice });
  expect(batched.map((p) => phonemesToIds(p, config.phonemeIdMap))).toEqual(recorded.cases.flatMap((c) => c.sentences));
});

it('espeak-ng runs in-process when asked (no program spawned) with the phonemes the program gives; the program by default', async () => {
  const config = readVoiceConfig(path.join(voiceDir, 'en_US-joe-medium.onnx.json'));
  expect(espeakEngine({ bin: 'espeak-ng', voice: config.espeakVoice })).toBe('program'); // GPL library: opt-in
  const opts = { bin: 'espeak-ng', voice: config.espeakVoice, engine: 'library' as const };
  // Real book sentences beside the recorded ones: numbers, abbreviations, a French name, clause punctuation.
  const texts = [...recorded.cases.map((c) => c.text), ...librivox().map((c) => c.text), 'Dr. Smith paid $1,234.50 to M. Dupont; he said: "merci", then left!'];
  const sentences = texts.flatMap((t) => splitSentences(t)).map(splitClauses);
  const spawn = jest.spyOn(childProcess, 'spawn');
  try {
    expect(espeakEngine(opts)).toBe('library');
    const inProcess = await phonemizeSentences(sentences, opts);
    // Before the library was used, every text spawned the program (~42 ms each).
    expect(spawn).not.toHaveBeenCalled();
    expect(inProcess).toEqual(await phonemizeSentences(sentences, { ...opts, engine: 'program' as const }));
    expect(spawn).toHaveBeenCalled();
  } finally {
    spawn.mockRestore();
  }
});

it('ids: BOS, PAD, each phoneme then PAD, EOS; unknown phonemes dropped', () => {
  const map = { _: [0], '^': [1], $: [2], a: [14], b: [15] };
  expect(phonemesToIds(['a', '☃', 'b'], map)).toEqual([1, 0, 14, 0, 15, 0, 2]);
});

it('sentences split at . ! ? but not after abbreviations or initials; long ones are bounded', () => {
  expect(splitSentences('Dr. Smith met J. Doe. Did he?  Yes!\nGood')).toEqual(['Dr. Smith met J. Doe.', 'Did he?', 'Yes!', 'Good']);
  expect(splitSentences(' ... ')).toEqual([]);
  const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
  const parts = splitSentences(long);
  expect(parts.length).toBeGreaterThan(1);
  for (const p of parts) expect(p.length).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
  expect(parts.join(' ')).toBe(long);
  expect(splitClauses('Well, I think so: yes.')).toEqual([
    { text: 'Well', terminator: ',' },
    { text: 'I think so', terminator: ':' },
    { text: 'yes', terminator: '.' },
  ]);
});

it('WAV: 16-bit mono header and samples read back', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tts-wav-')), 'a.wav');
  const pcm = Float32Array.from([0, 0.5, -0.5, 1, -1]);
  fs.writeFileSync(file, Buffer.concat([wavHeader(22050, pcm.length), toInt16(pcm)]));
  const back = readWav16(file);
  expect(back.sampleRate).toBe(22050);
  expect(Array.from(back.pcm).map((v) => Math.round(v * 100) / 100)).toEqual([0, 0.5, -0.5, 1, -1]);
});

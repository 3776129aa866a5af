/**
 * The enhance benchmark's evaluation set: real speech with reference transcripts (jfk.wav, LibriVox
 * excerpts; scripts/models/install-speech-samples.sh) mixed with real noise recordings
 * (scripts/models/install-noise.sh: recorded music, ALSA's stationary noise) and babble summed
 * from three other real speakers (Asterisk fr/es prompts, the ALSA voice), at 0, 5 and 10 dB SNR.
 * Held-out split: `dev` (one LibriVox excerpt, music tracks 1-2) is what any tuning may look at;
 * `test` (jfk + four other excerpts, music track 3, babble of speakers absent from the targets) is
 * what the benchmark reports. Nothing here was tuned on `test`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodePcm16k } from '../lib/audio';
import { mixAtSnr } from '../lib/denoise/quality';

export interface EvalItem {
  id: string;
  speech: string;
  noise: string;
  snr: number;
  text: string;
  clean: Float32Array;
  noisy: Float32Array;
}

const cache = () => process.env.VOXFLOW_CACHE ?? path.join(os.homedir(), '.cache', 'voxflow');
const LIBRIVOX = '/usr/share/pocketsphinx/test/data/librivox';

export async function decodeAll(file: string, ffmpeg: string): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const c of decodePcm16k(file, { ffmpeg })) parts.push(c);
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function librivoxTexts(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of fs.readFileSync(path.join(LIBRIVOX, 'transcription'), 'utf8').split('\n')) {
    const r = /^<s>\s*(.*?)\s*<\/s>\s*\((.+)\)$/.exec(line.trim());
    if (r) m.set(r[2], r[1]);
  }
  return m;
}

export async function enhanceEvalSet(split: 'dev' | 'test', ffmpeg: string, snrs = [0, 5, 10]): Promise<EvalItem[]> {
  const texts = librivoxTexts();
  const lv = (id: string) => ({ id, wav: path.join(LIBRIVOX, `${id}.wav`), text: texts.get(id)! });
  const speech =
    split === 'dev'
      ? [lv('sense_and_sensibility_01_austen_64kb-0870')]
      : [
          { id: 'jfk', wav: path.join(cache(), 'speech', 'jfk.wav'), text: fs.readFileSync(path.join(cache(), 'speech', 'jfk.txt'), 'utf8').trim() },
          ...['0880', '0890', '0920', '0930'].map((n) => lv(`sense_and_sensibility_01_austen_64kb-${n}`)),
        ];
  const noiseDir = path.join(cache(), 'noise');
  if (!fs.existsSync(path.join(noiseDir, 'manifest.json'))) throw new Error('run scripts/models/install-noise.sh first');
  const noises: Record<string, Float32Array> = {};
  for (const f of split === 'dev' ? ['music-1.wav', 'music-2.wav', 'alsa-noise.wav'] : ['music-3.wav', 'alsa-noise.wav']) {
    noises[f.replace('.wav', '')] = await decodeAll(path.join(noiseDir, f), ffmpeg);
  }
  if (split === 'test') {
    // Babble: three other real speakers, each looped, summed at equal level.
    const voices = ['/usr/share/asterisk/sounds/fr_CA_f_June/demo-congrats.wav', '/usr/share/asterisk/sounds/es_MX_f_Allison/demo-congrats.wav', '/usr/share/sounds/alsa/Front_Center.wav'];
    const pcm = await Promise.all(voices.map((v) => decodeAll(v, ffmpeg)));
    const len = 16000 * 60;
    const babble = new Float32Array(len);
    for (const p of pcm) {
      const rms = Math.sqrt(p.reduce((a, x) => a + x * x, 0) / p.length);
      for (let i = 0; i < len; i++) babble[i] += p[(i + 7919 * pcm.indexOf(p)) % p.length] / rms;
    }
    noises.babble = babble;
  }
  const items: EvalItem[] = [];
  for (const s of speech) {
    const clean = await decodeAll(s.wav, ffmpeg);
    for (const [name, noise] of Object.entries(noises)) {
      for (const snr of snrs) {
        // A different stretch of the noise per item (offset by a prime number of samples).
        const offset = (items.length * 104_729) % Math.max(1, noise.length - clean.length);
        items.push({ id: `${s.id}+${name}@${snr}dB`, speech: s.id, noise: name, snr, text: s.text, clean, noisy: mixAtSnr(clean, noise, snr, offset) });
      }
    }
  }
  return items;
}

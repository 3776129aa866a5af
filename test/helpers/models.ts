/** Where installed models and registry speech samples live (scripts/models/* put them there). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export const cacheDir = () => process.env.VOXFLOW_CACHE ?? path.join(os.homedir(), '.cache', 'voxflow');

function mustExist(p: string, installer: string): string {
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run ${installer} (npm test does)`);
  return p;
}

export const speakerModelDir = () =>
  path.dirname(mustExist(path.join(cacheDir(), 'models', 'speaker', 'campplus-cn-en-common', 'manifest.json'), 'scripts/models/install-speaker.sh'));

export const vadModelFile = () => mustExist(path.join(cacheDir(), 'models', 'vad', 'silero-v5', 'silero_vad.onnx'), 'scripts/models/install-vad.sh');

/** jfk.wav: 11 s of real speech (public domain) with its reference transcript. */
export function jfk(): { wav: string; text: string } {
  const wav = mustExist(path.join(cacheDir(), 'speech', 'jfk.wav'), 'scripts/models/install-speech-samples.sh');
  return { wav, text: fs.readFileSync(path.join(cacheDir(), 'speech', 'jfk.txt'), 'utf8').trim() };
}

/** LibriVox excerpts (one reader) with reference transcripts, from Debian's pocketsphinx-testdata. */
export function librivox(): Array<{ wav: string; text: string }> {
  const dir = mustExist('/usr/share/pocketsphinx/test/data/librivox', 'scripts/models/install-speech-samples.sh');
  return fs
    .readFileSync(path.join(dir, 'transcription'), 'utf8')
    .split('\n')
    .map((l) => /^<s>\s*(.*?)\s*<\/s>\s*\((.+)\)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ wav: path.join(dir, `${m[2]}.wav`), text: m[1] }));
}

/** Real French (fr-CA, "June") and Spanish (es-MX, "Allison") voice prompts with their scripts (Debian asterisk-core-sounds). */
export function asteriskPrompt(lang: 'fr' | 'es', name: string): { wav: string; text: string } {
  const voice = lang === 'fr' ? 'fr_CA_f_June' : 'es_MX_f_Allison';
  const wav = mustExist(`/usr/share/asterisk/sounds/${voice}/${name}.wav`, 'scripts/models/install-speech-samples.sh');
  const index = zlib.gunzipSync(fs.readFileSync(`/usr/share/doc/asterisk-core-sounds-${lang}/core-sounds-${lang}.txt.gz`)).toString('utf8');
  const line = index.split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no script for ${name} in core-sounds-${lang}.txt`);
  return { wav, text: line.slice(name.length + 1).trim() };
}

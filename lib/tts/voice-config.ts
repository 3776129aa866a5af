/** A Piper voice's `.onnx.json`: what the graph expects (phoneme ids, scales) and what it produces. */
import fs from 'node:fs';

export interface PiperVoiceConfig {
  sampleRate: number;
  /** espeak-ng voice the phonemes must come from (`en-us`). */
  espeakVoice: string;
  /** Phoneme (one Unicode code point after NFD) → ids; `_` pad, `^` start, `$` end. */
  phonemeIdMap: Record<string, number[]>;
  noiseScale: number;
  lengthScale: number;
  noiseW: number;
  numSpeakers: number;
}

export function readVoiceConfig(file: string): PiperVoiceConfig {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (raw.phoneme_type && raw.phoneme_type !== 'espeak') throw new Error(`${file}: phoneme_type ${raw.phoneme_type} is not supported (espeak only)`);
  const map = raw.phoneme_id_map as Record<string, number[]> | undefined;
  for (const k of ['_', '^', '$']) if (!map?.[k]) throw new Error(`${file}: phoneme_id_map lacks '${k}'`);
  return {
    sampleRate: Number(raw.audio?.sample_rate),
    espeakVoice: String(raw.espeak?.voice ?? 'en-us'),
    phonemeIdMap: map!,
    noiseScale: Number(raw.inference?.noise_scale ?? 0.667),
    lengthScale: Number(raw.inference?.length_scale ?? 1),
    noiseW: Number(raw.inference?.noise_w ?? 0.8),
    numSpeakers: Number(raw.num_speakers ?? 1),
  };
}

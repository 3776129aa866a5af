import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The subset of the converter's manifest.json this runtime relies on. */
export interface WhisperManifest {
  model_id: string;
  multilingual: boolean;
  dims: {
    n_mels: number;
    n_audio_ctx: number;
    n_text_ctx: number;
    n_text_layer: number;
    n_text_head: number;
    n_vocab: number;
    n_frames: number;
    head_dim: number;
  };
  alignment_heads: Array<[number, number]>;
  special_tokens: {
    eot: number;
    sot: number;
    translate: number;
    transcribe: number;
    /** <|startofprev|>: previous text given as a prompt comes after it, before <|startoftranscript|>. */
    sot_prev: number;
    no_speech: number;
    no_timestamps: number;
    timestamp_begin: number;
    n_timestamps: number;
  };
  language_tokens: Record<string, number>;
  suppress_tokens: number[];
  suppress_tokens_begin: number[];
  cross_kv_in_encoder: boolean;
  kv_layout: string;
  /** 'dynamic': the graphs accept fewer than n_frames mel frames (scripts/models/whisper/dynamic_audio_ctx.py). */
  audio_ctx?: 'dynamic';
  /** sha256 and size of each installed file (the converter's record). */
  files?: Record<string, { sha256: string; bytes: number }>;
}

export async function readManifest(dir: string): Promise<WhisperManifest> {
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(await readFile(file, 'utf8')) as WhisperManifest;
  // Fail at load time, not mid-transcription, on a graph layout this runtime was not written for.
  if (m.kv_layout !== 'stacked' || m.cross_kv_in_encoder) {
    throw new Error(`${file}: unsupported layout (kv_layout=${m.kv_layout}, cross_kv_in_encoder=${m.cross_kv_in_encoder}); expected stacked KV and a separate decoder_cross_kv.onnx`);
  }
  if (m.dims?.n_mels !== 80) throw new Error(`${file}: n_mels=${m.dims?.n_mels}; only the 80-mel front end is implemented`);
  if (!m.special_tokens || !m.language_tokens || !Array.isArray(m.alignment_heads)) throw new Error(`${file}: missing token or alignment metadata`);
  return m;
}

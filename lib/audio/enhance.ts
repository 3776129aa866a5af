import { MediaError } from './errors';
import { onProgressSeconds, runTool, summarizeStderr } from './ffmpeg';

/** The loudness target when the request names none (EBU R128 speech level of the contract). */
export const DEFAULT_LOUDNESS_LUFS = -16;
/** loudnorm accepts integrated targets from -70 to -5 LUFS; below -40 is inaudible in practice. */
export const LOUDNESS_RANGE = { min: -40, max: -5 } as const;
export const OUTPUT_SAMPLE_RATES = [16000, 22050, 24000, 32000, 44100, 48000] as const;
export const DEFAULT_OUTPUT_SAMPLE_RATE = 48000;

export interface EnhanceOptions {
  ffmpeg: string;
  /** Total duration, used to turn ffmpeg's position into a fraction. */
  durationSeconds: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Integrated loudness target, LUFS (default -16). */
  loudnessLufs?: number;
  /** Output sample rate (default 48000). */
  sampleRate?: number;
  /** `ffmpeg`: high-pass + afftdn before loudness (the default); `none`: loudness only. */
  filter?: 'ffmpeg' | 'none';
}

/** EBU R128 loudness normalisation (single pass, streams) to the target. */
export const loudnormFilter = (lufs = DEFAULT_LOUDNESS_LUFS) => `loudnorm=I=${lufs}:TP=-1.5:LRA=11`;
/** ffmpeg's FFT denoiser with noise-floor tracking, after a 60 Hz high-pass (rumble, hum). */
export const FFMPEG_DENOISE_FILTER = 'highpass=f=60,afftdn=nr=12:nf=-40:tn=1';
/** The former (and still `model=ffmpeg`) chain at the default target. */
export const ENHANCE_FILTER = `${FFMPEG_DENOISE_FILTER},${loudnormFilter()}`;

/**
 * Noise reduction with ffmpeg's filters (or none) followed by loudness normalisation, written as
 * 16-bit WAV at the requested rate. Video streams are dropped.
 */
export async function enhanceToWav(input: string, output: string, opts: EnhanceOptions): Promise<void> {
  const chain = [opts.filter === 'none' ? '' : FFMPEG_DENOISE_FILTER, loudnormFilter(opts.loudnessLufs)].filter(Boolean).join(',');
  await filterToWav(['-i', input], chain, output, { ...opts, what: input });
}

/**
 * Loudness-normalises raw 16 kHz mono float PCM (a denoiser's output, written progressively) into
 * the final WAV. ffmpeg streams it, so memory stays flat however long the audio is.
 */
export async function normalizeRawPcm(rawF32: string, sampleRate: number, output: string, opts: EnhanceOptions): Promise<void> {
  await filterToWav(['-f', 'f32le', '-ar', String(sampleRate), '-ac', '1', '-i', rawF32], loudnormFilter(opts.loudnessLufs), output, { ...opts, what: 'denoised audio' });
}

async function filterToWav(inputArgs: string[], chain: string, output: string, opts: EnhanceOptions & { what: string }): Promise<void> {
  const res = await runTool(
    opts.ffmpeg,
    ['-nostdin', '-v', 'error', '-y', ...inputArgs, '-vn', '-sn', '-dn', '-af', chain,
      '-ar', String(opts.sampleRate ?? DEFAULT_OUTPUT_SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 'wav', '-progress', 'pipe:1', output],
    {
      signal: opts.signal,
      collectStdout: false,
      onStdoutLine: onProgressSeconds((s) => {
        if (opts.onProgress && opts.durationSeconds > 0) opts.onProgress(Math.min(1, s / opts.durationSeconds));
      }),
    },
  );
  // Killed by a signal (OOM killer, a stopping worker): ours, not the file's; a retry may succeed.
  if (res.code === null) throw new Error(`ffmpeg was stopped (${res.signal ?? 'signal'}) while enhancing the audio`);
  if (res.code !== 0) {
    throw new MediaError('corrupt_media', `The audio could not be processed (${summarizeStderr(res.stderr, opts.what)}).`);
  }
}

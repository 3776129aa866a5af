import { MediaError } from './errors';
import { onProgressSeconds, runTool, summarizeStderr } from './ffmpeg';

export interface EnhanceOptions {
  ffmpeg: string;
  /** Total duration, used to turn ffmpeg's position into a fraction. */
  durationSeconds: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * Noise reduction (FFT denoiser with noise-floor tracking) followed by EBU R128 loudness
 * normalisation to -16 LUFS, written as 16-bit 48 kHz WAV. Video streams are dropped.
 */
export const ENHANCE_FILTER = 'highpass=f=60,afftdn=nr=12:nf=-40:tn=1,loudnorm=I=-16:TP=-1.5:LRA=11';

export async function enhanceToWav(input: string, output: string, opts: EnhanceOptions): Promise<void> {
  const res = await runTool(
    opts.ffmpeg,
    ['-nostdin', '-v', 'error', '-y', '-i', input, '-vn', '-sn', '-dn', '-af', ENHANCE_FILTER,
      '-ar', '48000', '-c:a', 'pcm_s16le', '-f', 'wav', '-progress', 'pipe:1', output],
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
    throw new MediaError('corrupt_media', `The audio could not be processed (${summarizeStderr(res.stderr, input)}).`);
  }
}

/** The denoisers /v1/enhance-audio can run (scripts/models/install-denoisers.sh), the first installed is the default. */
export interface DenoiserDescriptor {
  id: string;
  name: string;
  type: 'denoiser';
  sample_rate: number;
  streaming: true;
  license: string;
  install: string;
}

export const DENOISER_MODELS: readonly DenoiserDescriptor[] = [
  // The first installed is the default: GTCRN. DeepFilterNet3 measures best in npm run bench -- enhance
  // (README). Its per-clip RTF of 0.82 was its last block zero-padded to 30 s (fixed: 0.22 per ~6 s clip
  // now, its own runtime 0.16), but each request still pays a fresh runtime state (~0.4 s of CPU) and
  // about twice GTCRN's CPU per clip; as the default, the accounts and enhance tests passed (20/20) yet a
  // synchronous 2 s enhance took 15 s at load 9-13, and every default enhance in the suite would pay it
  // with CI near its time budget. So it is asked for by name (`model=deepfilternet3`, or VOXFLOW_ENHANCE_MODEL).
  { id: 'gtcrn', name: 'GTCRN (ultra-lightweight speech enhancement)', type: 'denoiser', sample_rate: 16_000, streaming: true, license: 'MIT', install: 'scripts/models/install-denoisers.sh gtcrn' },
  { id: 'dtln', name: 'DTLN (dual-signal transformation LSTM network)', type: 'denoiser', sample_rate: 16_000, streaming: true, license: 'MIT', install: 'scripts/models/install-denoisers.sh dtln' },
  // A 48 kHz model run on the 16 kHz pipeline (resampled x3 inside), so it cleans up to 8 kHz.
  { id: 'deepfilternet3', name: 'DeepFilterNet3 (its own C runtime, libDF)', type: 'denoiser', sample_rate: 16_000, streaming: true, license: 'MIT OR Apache-2.0', install: 'scripts/models/install-denoisers.sh deepfilternet3' },
];

/**
 * Choices that need no model: `ffmpeg` is the former filter chain (high-pass + afftdn FFT denoiser),
 * `none` skips noise removal (loudness normalisation only).
 */
export const FILTER_CHOICES = ['ffmpeg', 'none'] as const;
export type FilterChoice = (typeof FILTER_CHOICES)[number];

export const isFilterChoice = (m: string): m is FilterChoice => (FILTER_CHOICES as readonly string[]).includes(m);

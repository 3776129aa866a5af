/** The denoisers /v1/enhance-audio can run (scripts/models/install-denoisers.sh), best first. */
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
  // The default: best SI-SDR/PESQ of the installed models in npm run bench -- enhance (README). A 48 kHz
  // model run on the 16 kHz pipeline (resampled x3 inside), so it cleans up to 8 kHz.
  { id: 'deepfilternet3', name: 'DeepFilterNet3 (its own C runtime, libDF)', type: 'denoiser', sample_rate: 16_000, streaming: true, license: 'MIT OR Apache-2.0', install: 'scripts/models/install-denoisers.sh deepfilternet3' },
  { id: 'gtcrn', name: 'GTCRN (ultra-lightweight speech enhancement)', type: 'denoiser', sample_rate: 16_000, streaming: true, license: 'MIT', install: 'scripts/models/install-denoisers.sh gtcrn' },
  { id: 'dtln', name: 'DTLN (dual-signal transformation LSTM network)', type: 'denoiser', sample_rate: 16_000, streaming: true, license: 'MIT', install: 'scripts/models/install-denoisers.sh dtln' },
];

/**
 * Choices that need no model: `ffmpeg` is the former filter chain (high-pass + afftdn FFT denoiser),
 * `none` skips noise removal (loudness normalisation only).
 */
export const FILTER_CHOICES = ['ffmpeg', 'none'] as const;
export type FilterChoice = (typeof FILTER_CHOICES)[number];

export const isFilterChoice = (m: string): m is FilterChoice => (FILTER_CHOICES as readonly string[]).includes(m);

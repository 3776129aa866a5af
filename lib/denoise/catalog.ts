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
  // (README), equal to its own runtime, and no longer pays a runtime state per request (forked lanes,
  // lib/denoise/deepfilter-lanes.ts): 0.088 RTF on a 120 s file on 2 cores, but 0.18 per ~6 s clip, whose
  // one block runs on one core (cut in two it ran at 0.104 but lost 0.14 dB SI-SDR and 0.05 PESQ at the
  // cut). Against GTCRN's 0.115 per clip, a short request costs more CPU, and every default enhance in the
  // suite would pay it with CI near its time budget. So it is asked for by name (`model=deepfilternet3`,
  // or VOXFLOW_ENHANCE_MODEL).
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

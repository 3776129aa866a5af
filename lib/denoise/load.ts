import path from 'node:path';
import { DeepFilterDenoiser } from './deepfilter';
import { DtlnDenoiser } from './dtln';
import { GtcrnDenoiser } from './gtcrn';
import type { DenoiserModel } from './types';

/** Loads an installed denoiser from its folder (models/denoise/<id>/, see install-denoisers.sh). */
export async function loadDenoiser(id: string, dir: string): Promise<DenoiserModel> {
  if (id === 'gtcrn') return GtcrnDenoiser.load(path.join(dir, 'model.onnx'));
  if (id === 'dtln') return DtlnDenoiser.load(dir);
  if (id === 'deepfilternet3') return DeepFilterDenoiser.load(dir);
  throw new Error(`no loader for denoiser '${id}'`);
}

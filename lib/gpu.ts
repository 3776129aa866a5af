import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';

export interface GpuInfo {
  available: boolean;
  name: string | null;
  memoryMb: number | null;
}

/** Asks nvidia-smi what this machine really has; no driver or no GPU means available: false. */
export function detectGpu(nvidiaSmi = 'nvidia-smi'): Promise<GpuInfo> {
  return new Promise((resolve) => {
    execFile(nvidiaSmi, ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], { timeout: 5000 }, (err, stdout) => {
      const first = err ? '' : stdout.split('\n')[0]?.trim() ?? '';
      const [name, mem] = first.split(',').map((s) => s.trim());
      if (!name) return resolve({ available: false, name: null, memoryMb: null });
      resolve({ available: true, name, memoryMb: Number(mem) || null });
    });
  });
}

/**
 * Whether onnxruntime-node's CUDA provider library is installed (its CUDA download is skipped on
 * offline installs). Without it a CUDA session can only fail, noisily, so `auto` goes straight to CPU.
 */
export function cudaProviderInstalled(): boolean {
  try {
    const dir = path.join(path.dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch);
    return fs.existsSync(path.join(dir, 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

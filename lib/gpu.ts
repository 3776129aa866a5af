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

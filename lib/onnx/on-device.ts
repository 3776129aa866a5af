/**
 * Loads a model on CUDA when configured (or `auto` with onnxruntime's CUDA provider installed), else on
 * CPU; `auto` falls back to CPU when the CUDA load fails, `cuda` does not. One rule for every loader:
 * the gpu workers' engines and the API's streaming engine threads.
 */
import type { Config } from '../config';
import { cudaProviderInstalled } from '../gpu';

export interface LoadLog {
  info(obj: object, msg: string): void;
}

export async function loadOnDevice<T>(
  device: Config['inference']['device'],
  log: LoadLog,
  what: string,
  load: (executionProviders: string[]) => Promise<T>,
): Promise<T> {
  const started = Date.now();
  if (device === 'cuda' || (device === 'auto' && cudaProviderInstalled())) {
    try {
      const m = await load(['cuda', 'cpu']);
      log.info({ model: what, device: 'cuda', ms: Date.now() - started }, 'model loaded');
      return m;
    } catch (err) {
      if (device === 'cuda') throw err;
      log.info({ model: what, reason: (err as Error).message }, 'CUDA execution unavailable; using CPU');
    }
  }
  const m = await load(['cpu']);
  log.info({ model: what, device: 'cpu', ms: Date.now() - started }, 'model loaded');
  return m;
}

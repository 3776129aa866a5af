/**
 * How many activities a gpu worker runs at once when VOXFLOW_GPU_CONCURRENCY is not set: the
 * hardware decides. One inference slot per GPU the process may use when inference runs on CUDA
 * (a second model run on the same GPU only queues behind the first, and doubles its memory), else
 * one slot per VOXFLOW_CORES_PER_INFERENCE_SLOT cores (each ONNX/llama.cpp run uses several
 * threads; more slots than that only time-slice the same cores and lengthen every job).
 * Pure, so the rule is tested on any machine; lib/config.ts feeds it the facts.
 */
import fs from 'node:fs';

export interface InferenceHardware {
  /** Cores this process may use (os.availableParallelism()). */
  cpus: number;
  /** GPUs this process may use (visibleGpuCount). */
  gpus: number;
  /** Whether inference runs on CUDA (VOXFLOW_INFERENCE_DEVICE=cuda, or auto with the CUDA provider installed and a GPU). */
  cuda: boolean;
}

export function inferenceSlots(hw: InferenceHardware, coresPerSlot: number): number {
  if (hw.cuda && hw.gpus > 0) return hw.gpus;
  return Math.max(1, Math.floor(hw.cpus / Math.max(1, coresPerSlot)));
}

/**
 * The cores split evenly among the slots that can run at once: each run keeps to its share, since
 * llama.cpp's threads spin and an oversubscribed CPU slows every run far more than it shares.
 * lib/config.ts caps the LLM's default at all cores but one (VOXFLOW_LLM_THREADS=0).
 */
export function threadsPerSlot(cpus: number, slots: number): number {
  return Math.max(1, Math.floor(cpus / Math.max(1, slots)));
}

/**
 * GPUs this process may use: CUDA_VISIBLE_DEVICES when set (a comma list; empty or -1: none),
 * else the NVIDIA device nodes (/dev/nvidia0, /dev/nvidia1, …). Synchronous and cheap: no driver call.
 */
export function visibleGpuCount(cudaVisibleDevices: string | undefined, devDir = '/dev'): number {
  if (cudaVisibleDevices !== undefined) {
    const ids = cudaVisibleDevices.split(',').map((s) => s.trim()).filter(Boolean);
    // CUDA stops at the first invalid id ("-1" is the usual way to hide every GPU).
    const valid = ids.findIndex((id) => id.startsWith('-'));
    return valid === -1 ? ids.length : valid;
  }
  try {
    return fs.readdirSync(devDir).filter((n) => /^nvidia\d+$/.test(n)).length;
  } catch {
    return 0;
  }
}

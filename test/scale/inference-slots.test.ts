/**
 * The gpu queue's default concurrency follows the hardware: one slot per GPU with CUDA inference,
 * else one per VOXFLOW_CORES_PER_INFERENCE_SLOT cores; an explicit VOXFLOW_GPU_CONCURRENCY wins.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../lib/config';
import { inferenceSlots, visibleGpuCount } from '../../lib/inference-slots';

describe('inference slots per gpu worker', () => {
  it('gives one slot per GPU on CUDA and one per N cores on CPU', () => {
    expect(inferenceSlots({ cpus: 16, gpus: 1, cuda: true }, 4)).toBe(1);
    expect(inferenceSlots({ cpus: 64, gpus: 4, cuda: true }, 4)).toBe(4);
    expect(inferenceSlots({ cpus: 16, gpus: 1, cuda: false }, 4)).toBe(4);
    expect(inferenceSlots({ cpus: 2, gpus: 0, cuda: false }, 4)).toBe(1);
    expect(inferenceSlots({ cpus: 8, gpus: 0, cuda: false }, 2)).toBe(4);
    // CUDA demanded but no GPU visible: the CPU rule.
    expect(inferenceSlots({ cpus: 8, gpus: 0, cuda: true }, 4)).toBe(2);
  });

  it('counts the GPUs CUDA_VISIBLE_DEVICES lets the process see, else the device nodes', () => {
    expect(visibleGpuCount('0,1,2')).toBe(3);
    expect(visibleGpuCount('1')).toBe(1);
    expect(visibleGpuCount('')).toBe(0);
    expect(visibleGpuCount('-1')).toBe(0);
    expect(visibleGpuCount('0,-1,2')).toBe(1);
    const dev = fs.mkdtempSync(path.join(os.tmpdir(), 'voxflow-dev-'));
    for (const n of ['nvidia0', 'nvidia1', 'nvidiactl', 'nvidia-uvm', 'null']) fs.writeFileSync(path.join(dev, n), '');
    expect(visibleGpuCount(undefined, dev)).toBe(2);
    fs.rmSync(dev, { recursive: true, force: true });
  });

  it('is the default of VOXFLOW_GPU_CONCURRENCY, which an operator can still set', () => {
    const cpu = loadConfig({ VOXFLOW_INFERENCE_DEVICE: 'cpu', VOXFLOW_CORES_PER_INFERENCE_SLOT: '1' });
    expect(cpu.temporal.concurrency.gpu).toBe(os.availableParallelism());
    expect(loadConfig({ VOXFLOW_INFERENCE_DEVICE: 'cpu', VOXFLOW_CORES_PER_INFERENCE_SLOT: '256' }).temporal.concurrency.gpu).toBe(1);
    // CUDA with two visible GPUs: two slots, whatever the cores.
    expect(loadConfig({ VOXFLOW_INFERENCE_DEVICE: 'cuda', CUDA_VISIBLE_DEVICES: '0,1' }).temporal.concurrency.gpu).toBe(2);
    expect(loadConfig({ VOXFLOW_INFERENCE_DEVICE: 'cuda', CUDA_VISIBLE_DEVICES: '0,1', VOXFLOW_GPU_CONCURRENCY: '6' }).temporal.concurrency.gpu).toBe(6);
    expect(() => loadConfig({ VOXFLOW_CORES_PER_INFERENCE_SLOT: '0' })).toThrow(/VOXFLOW_CORES_PER_INFERENCE_SLOT/);
  });
});

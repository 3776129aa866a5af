/**
 * The LLM's default thread count follows the gpu worker's inference slots: the cores are split among
 * the runs that can happen at once (16 cores, 4 slots: 4 each, where it used to be 15 each), and one
 * core always stays free for the API and the other processes (2 cores: 1 thread).
 */
import os from 'node:os';
import { loadConfig } from '../../lib/config';
import { threadsPerSlot } from '../../lib/inference-slots';

it('threadsPerSlot splits the cores evenly among the slots, at least one each', () => {
  expect(threadsPerSlot(2, 1)).toBe(2);
  expect(threadsPerSlot(2, 2)).toBe(1);
  expect(threadsPerSlot(16, 4)).toBe(4);
  expect(threadsPerSlot(16, 3)).toBe(5);
  expect(threadsPerSlot(2, 8)).toBe(1);
  expect(threadsPerSlot(1, 0)).toBe(1);
});

it('the default LLM threads are the cores per gpu slot, all but one at most; VOXFLOW_LLM_THREADS overrides', () => {
  const cpus = os.availableParallelism();
  expect(loadConfig({ VOXFLOW_GPU_CONCURRENCY: '1' }).llm.threads).toBe(Math.max(1, cpus - 1));
  expect(loadConfig({ VOXFLOW_GPU_CONCURRENCY: String(cpus) }).llm.threads).toBe(1);
  expect(loadConfig({ VOXFLOW_GPU_CONCURRENCY: '1', VOXFLOW_LLM_THREADS: '1' }).llm.threads).toBe(1);
  // Unset concurrency: the hardware's slots (one per VOXFLOW_CORES_PER_INFERENCE_SLOT cores on CPU).
  const c = loadConfig({ VOXFLOW_INFERENCE_DEVICE: 'cpu', VOXFLOW_CORES_PER_INFERENCE_SLOT: '4' });
  expect(c.llm.threads).toBe(Math.max(1, Math.min(threadsPerSlot(cpus, c.temporal.concurrency.gpu), cpus - 1)));
});

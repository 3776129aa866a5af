/** Messages between the worker's LLM handle (model.ts) and its thread (thread.ts). */
import type { GenerateRequest, GenerateResult } from './types';

export type ThreadRequest =
  | { op: 'load'; id: number }
  | { op: 'count'; id: number; text: string }
  | { op: 'generate'; id: number; request: GenerateRequest }
  | { op: 'abort'; id: number }
  | { op: 'dispose'; id: number };

export type ThreadReply =
  | { op: 'loaded'; id: number; gpu: string; contextSize: number; trainContextSize: number; ms: number }
  | { op: 'count'; id: number; tokens: number }
  | { op: 'progress'; id: number; tokens: number }
  | { op: 'done'; id: number; result: GenerateResult }
  | { op: 'disposed'; id: number }
  | { op: 'error'; id: number; message: string };

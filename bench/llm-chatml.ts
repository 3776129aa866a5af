/**
 * The exact text the runtime feeds the model for one GenerateRequest, for the llama.cpp peer to get
 * the same prompt. lib/llm/thread.ts runs a LlamaChatSession, which for Qwen2.5 GGUFs renders
 * node-llama-cpp's QwenChatWrapper: ChatML, system turn, user turn, open assistant turn. The bench
 * checks that both sides count the same prompt tokens (a rendering drift would show there).
 */
import type { GenerateRequest } from '../lib/llm/types';

export const chatMl = (req: Pick<GenerateRequest, 'system' | 'prompt'>): string =>
  `<|im_start|>system\n${req.system}<|im_end|>\n<|im_start|>user\n${req.prompt}<|im_end|>\n<|im_start|>assistant\n`;

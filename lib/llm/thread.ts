/**
 * Runs inside a worker thread (see model.ts): owns the llama.cpp model and its context.
 *
 * Why a thread: node-llama-cpp is ES-module only, and the test runner's module system cannot load
 * ES modules; a worker thread has Node's own loader in both `node --import tsx` (npm start) and jest.
 * Evaluation itself runs on llama.cpp's native threads, so neither this thread's nor the worker's
 * event loop blocks while a model thinks (Temporal heartbeats keep flowing).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { GenerateRequest, GenerateResult, LlmSettings } from './types';
import type { ThreadReply, ThreadRequest } from './protocol';

type Nlc = typeof import('node-llama-cpp');

interface Loaded {
  nlc: Nlc;
  llama: Awaited<ReturnType<Nlc['getLlama']>>;
  model: Awaited<ReturnType<Awaited<ReturnType<Nlc['getLlama']>>['loadModel']>>;
  context: Awaited<ReturnType<Awaited<ReturnType<Awaited<ReturnType<Nlc['getLlama']>>['loadModel']>>['createContext']>>;
  grammars: Map<string, Promise<unknown>>;
}

const { modelPath, settings, progressEvery } = workerData as { modelPath: string; settings: LlmSettings; progressEvery: number };
const port = parentPort!;
const post = (m: ThreadReply) => port.postMessage(m);
const aborts = new Map<number, AbortController>();
let loaded: Promise<Loaded> | undefined;

port.on('message', (m: ThreadRequest) => {
  void handle(m).catch((err: unknown) => post({ op: 'error', id: 'id' in m ? m.id : 0, message: err instanceof Error ? err.message : String(err) }));
});

async function handle(m: ThreadRequest): Promise<void> {
  switch (m.op) {
    case 'load': {
      const started = Date.now();
      const l = await (loaded ??= load());
      post({ op: 'loaded', id: m.id, gpu: l.llama.gpu === false ? 'cpu' : String(l.llama.gpu), contextSize: l.context.contextSize, trainContextSize: l.model.trainContextSize, ms: Date.now() - started });
      return;
    }
    case 'count': {
      const l = await loaded!;
      post({ op: 'count', id: m.id, tokens: l.model.tokenize(m.text).length });
      return;
    }
    case 'generate':
      post({ op: 'done', id: m.id, result: await generate(await loaded!, m.id, m.request) });
      return;
    case 'abort':
      aborts.get(m.id)?.abort(new Error('generation aborted'));
      return;
    case 'dispose': {
      const l = await loaded?.catch(() => undefined);
      await l?.context.dispose();
      await l?.model.dispose();
      await l?.llama.dispose();
      post({ op: 'disposed', id: m.id });
      return;
    }
  }
}

async function load(): Promise<Loaded> {
  const nlc: Nlc = await import('node-llama-cpp');
  // Prebuilt binaries only: a missing one must fail, never start a compile from source at run time.
  const common = { build: 'never', logLevel: nlc.LlamaLogLevel.error, progressLogs: false } as const;
  let llama: Loaded['llama'];
  if (settings.device === 'cpu') llama = await nlc.getLlama({ ...common, gpu: false });
  else {
    // Vulkan is skipped on purpose: without a real GPU it falls back to a software rasteriser, slower than the CPU build.
    try {
      llama = await nlc.getLlama({ ...common, gpu: 'cuda' });
    } catch (err) {
      if (settings.device === 'cuda') throw err;
      llama = await nlc.getLlama({ ...common, gpu: false });
    }
  }
  const model = await llama.loadModel({ modelPath, gpuLayers: llama.gpu === false ? 0 : 'max' });
  const context = await model.createContext({
    contextSize: Math.min(settings.contextSize, model.trainContextSize),
    sequences: settings.concurrency,
    threads: settings.threads,
  });
  return { nlc, llama, model, context, grammars: new Map() };
}

/** Grammars are compiled once per schema (the same few schemas serve every request). */
function grammarFor(l: Loaded, schema: object): Promise<unknown> {
  const key = JSON.stringify(schema);
  let g = l.grammars.get(key);
  if (!g) {
    g = l.llama.createGrammarForJsonSchema(schema as never);
    l.grammars.set(key, g);
    g.catch(() => l.grammars.delete(key));
  }
  return g;
}

async function generate(l: Loaded, id: number, req: GenerateRequest): Promise<GenerateResult> {
  const started = Date.now();
  const sequence = l.context.getSequence();
  const ac = new AbortController();
  aborts.set(id, ac);
  try {
    const session = new l.nlc.LlamaChatSession({ contextSequence: sequence, systemPrompt: req.system });
    const grammar = req.jsonSchema ? ((await grammarFor(l, req.jsonSchema)) as never) : undefined;
    let tokens = 0;
    let reported = 0;
    let firstTokenMs: number | null = null;
    const res = await session.promptWithMeta(req.prompt, {
      maxTokens: Math.min(req.maxTokens, settings.maxOutputTokens),
      temperature: req.temperature ?? 0,
      grammar,
      signal: ac.signal,
      stopOnAbortSignal: true,
      onToken: (t) => {
        tokens += t.length;
        firstTokenMs ??= Date.now() - started;
        if (tokens - reported >= progressEvery) {
          reported = tokens;
          post({ op: 'progress', id, tokens });
        }
      },
    });
    const meter = sequence.tokenMeter;
    session.dispose({ disposeSequence: false });
    return {
      text: res.responseText,
      promptTokens: meter.usedInputTokens,
      outputTokens: meter.usedOutputTokens,
      stopReason: res.stopReason === 'maxTokens' ? 'maxTokens' : res.stopReason === 'abort' ? 'abort' : 'eos',
      ms: Date.now() - started,
      firstTokenMs,
    };
  } finally {
    aborts.delete(id);
    // The sequence goes back to the context for the next request (its KV cache is cleared).
    await sequence.dispose();
  }
}

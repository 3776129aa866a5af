/**
 * The engines below the API: Apertium as a child process (the real Debian install, see
 * scripts/models/install-apertium.sh) — one line out per piece in, unknown-word marks dropped,
 * bounded in time — and the LLM reply cleanup (pure).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApertiumTranslator, installedApertiumModes, runApertium } from '../../lib/translate/apertium';
import { cleanTranslation, translationRequest } from '../../lib/translate/llm-engine';
import { seq2seqStatus, loadSeq2Seq } from '../../lib/translate/seq2seq';

const settings = { bin: 'apertium', timeoutMs: 60_000 };

describe('Apertium', () => {
  it('lists the English pairs the installer provides', async () => {
    const modes = await installedApertiumModes(settings);
    for (const m of ['eng-spa', 'spa-eng', 'eng-cat', 'cat-eng', 'en-gl', 'gl-en']) expect(modes).toContain(m);
  });

  it('translates pieces one to one, in order, without unknown-word marks or doubled spaces', async () => {
    const pieces = ['The budget was approved.', 'We will review the timeline tomorrow.', 'Thank you, Priya!'];
    const out = await new ApertiumTranslator(settings).translate(pieces, { source: 'en', target: 'es' });
    expect(out.model).toBe('apertium-eng-spa');
    expect(out.texts).toHaveLength(3);
    expect(out.texts[0]).toMatch(/presupuesto/);
    expect(out.texts[1]).toMatch(/mañana/);
    expect(out.texts[2]).toMatch(/Priya/);
    for (const t of out.texts) {
      expect(t).not.toMatch(/[*#@]\w|\s{2}/);
      expect(t).toBe(t.trim());
    }
  });

  it('kills a call that runs past its timeout, and names the installer when the program is missing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-apertium-'));
    const slow = path.join(dir, 'apertium');
    fs.writeFileSync(slow, '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    const started = Date.now();
    await expect(runApertium({ bin: slow, timeoutMs: 500 }, ['-u', 'eng-spa'], 'Hello.\n')).rejects.toThrow(/took longer than 500 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(runApertium({ bin: path.join(dir, 'missing'), timeoutMs: 500 }, ['-u', 'eng-spa'], 'Hello.\n')).rejects.toThrow(/install-apertium\.sh/);
    expect(await installedApertiumModes({ bin: path.join(dir, 'missing'), timeoutMs: 500 })).toEqual(new Set());
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('LLM prompt and reply', () => {
  const pair = { source: 'en', target: 'es' };
  it('frames the piece as text to translate, greedy, with an output bound that grows with the input', () => {
    const r = translationRequest('Who is responsible?', pair, 5);
    expect(r.prompt).toBe('Translate this English text into Spanish.\n\nEnglish: Who is responsible?\nSpanish:');
    expect(r.temperature).toBe(0);
    expect(translationRequest('x', pair, 100).maxTokens).toBeGreaterThan(r.maxTokens);
  });

  it('keeps the translation alone: first line, no echoed label, no wrapping quotes', () => {
    expect(cleanTranslation('  Hola mundo.  ', pair)).toBe('Hola mundo.');
    expect(cleanTranslation('Spanish: Hola mundo.\n\nNote: this is informal.', pair)).toBe('Hola mundo.');
    expect(cleanTranslation('English: "¿Quién es responsable?"', pair)).toBe('¿Quién es responsable?');
    expect(cleanTranslation('«Hola» y «adiós»', pair)).toBe('«Hola» y «adiós»');
    expect(cleanTranslation('¡Buenos días a todos.', pair)).toBe('Buenos días a todos.');
    expect(cleanTranslation('¡Buenos días!', pair)).toBe('¡Buenos días!');
    expect(cleanTranslation('¿Me oyes?', pair)).toBe('¿Me oyes?');
  });
});

describe('neural MT loader path', () => {
  it('reports MADLAD-400 and NLLB as not installed when their weights are absent, and found-but-not-runnable when present', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mt-models-'));
    const before = seq2seqStatus(dir);
    expect(before.map((s) => [s.engine, s.weightsFound, s.runnable])).toEqual([['madlad', false, false], ['nllb', false, false]]);
    expect(() => loadSeq2Seq(dir, 'madlad400-3b-mt')).toThrow(/not installed.*missing in .*encoder_model\.onnx/);
    const madlad = path.join(dir, 'mt', 'madlad400-3b-mt');
    fs.mkdirSync(madlad, { recursive: true });
    for (const f of ['encoder_model.onnx', 'decoder_model_merged.onnx', 'tokenizer.json', 'config.json']) fs.writeFileSync(path.join(madlad, f), '');
    expect(seq2seqStatus(dir)[0]).toMatchObject({ weightsFound: true, runnable: false });
    expect(() => loadSeq2Seq(dir, 'madlad400-3b-mt')).toThrow(/weights found .* no seq2seq decoder/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

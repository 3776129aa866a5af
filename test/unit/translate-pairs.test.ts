/** The measured pair table and the engine choice per pair (lib/translate/pairs.ts). */
import { APERTIUM_MODES } from '../../lib/translate/apertium';
import { pairId } from '../../lib/translate/languages';
import { DEFAULT_LLM, MEASURED_PAIRS, SMALL_LLM, choosePair, supportedPairs, type Installed } from '../../lib/translate/pairs';

const allModes = new Set(Object.values(APERTIUM_MODES));
const everything = (llmModel: string | undefined = DEFAULT_LLM): Installed => ({ llmModel, apertiumModes: allModes });

describe('the measured table', () => {
  it('has the pairs the issue asks for, each measured with both LLMs, and Apertium exactly where Debian has the pair', () => {
    const ids = MEASURED_PAIRS.map((p) => pairId(p.source, p.target));
    expect(ids).toEqual(expect.arrayContaining(['en-es', 'en-ca', 'en-fr', 'en-de', 'en-it', 'en-pt']));
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of MEASURED_PAIRS) {
      for (const m of [DEFAULT_LLM, SMALL_LLM]) expect(p.chrf.llm[m]).toEqual(expect.any(Number));
      expect(p.chrf.apertium !== undefined).toBe(APERTIUM_MODES[pairId(p.source, p.target)] !== undefined);
      for (const score of [p.chrf.apertium ?? 0, ...Object.values(p.chrf.llm)]) {
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      }
    }
  });
});

describe('choosePair', () => {
  it('serves each pair with the best-scoring engine for the LLM this server runs', () => {
    for (const model of [DEFAULT_LLM, SMALL_LLM]) {
      for (const p of MEASURED_PAIRS) {
        const choice = choosePair(p.source, p.target, everything(model))!;
        const llm = p.chrf.llm[model];
        const best = p.chrf.apertium !== undefined && p.chrf.apertium >= llm ? 'apertium' : 'llm';
        expect(choice.engine).toBe(best);
        expect(choice.chrF).toBe(Math.max(llm, p.chrf.apertium ?? -1));
        expect(choice.model).toBe(best === 'llm' ? model : `apertium-${APERTIUM_MODES[pairId(p.source, p.target)]}`);
      }
    }
  });

  it('gives the documented table: with the 1.5B default Apertium serves en→ca, en→gl, ca→en; with the 0.5B also en→es and gl→en', () => {
    const apertiumPairs = (model: string) => supportedPairs(everything(model)).filter((p) => p.engine === 'apertium').map((p) => pairId(p.source, p.target));
    expect(apertiumPairs(DEFAULT_LLM)).toEqual(['en-ca', 'en-gl', 'ca-en']);
    expect(apertiumPairs(SMALL_LLM)).toEqual(['en-es', 'en-ca', 'en-gl', 'ca-en', 'gl-en']);
    expect(supportedPairs(everything()).length).toBe(MEASURED_PAIRS.length);
  });

  it('falls back to the installed engine when the better one is missing, and serves nothing with neither', () => {
    const pair = MEASURED_PAIRS.find((p) => p.chrf.apertium !== undefined)!;
    expect(choosePair(pair.source, pair.target, { llmModel: DEFAULT_LLM, apertiumModes: new Set() })).toMatchObject({ engine: 'llm', chrF: pair.chrf.llm[DEFAULT_LLM] });
    expect(choosePair(pair.source, pair.target, { llmModel: undefined, apertiumModes: allModes })).toMatchObject({ engine: 'apertium', chrF: pair.chrf.apertium });
    expect(choosePair(pair.source, pair.target, { llmModel: undefined, apertiumModes: new Set() })).toBeUndefined();
    // Without an LLM only Apertium's pairs are served.
    expect(supportedPairs({ llmModel: undefined, apertiumModes: allModes }).every((p) => p.engine === 'apertium')).toBe(true);
  });

  it('an installed LLM the table never measured is served with no score, and loses to a measured Apertium', () => {
    const installed = everything('some-other-llm');
    const apertiumPair = MEASURED_PAIRS.find((p) => p.chrf.apertium !== undefined)!;
    expect(choosePair(apertiumPair.source, apertiumPair.target, installed)).toMatchObject({ engine: 'apertium' });
    const llmOnly = MEASURED_PAIRS.find((p) => p.chrf.apertium === undefined)!;
    const c = choosePair(llmOnly.source, llmOnly.target, installed)!;
    expect(c).toMatchObject({ engine: 'llm', model: 'some-other-llm', chrF: null });
    // The measured models are still listed as candidates, marked not installed.
    expect(c.candidates).toContainEqual({ engine: 'llm', model: DEFAULT_LLM, chrF: llmOnly.chrf.llm[DEFAULT_LLM], installed: false });
  });

  it('a pair nothing measured is not supported, whatever is installed', () => {
    expect(choosePair('en', 'xx', everything())).toBeUndefined();
    expect(choosePair('fr', 'es', everything())).toBeUndefined();
  });
});

/**
 * What gets embedded for a transcript: one unit per segment, so a hit names the exact segment
 * (`segment_order` of the contract). A short segment ("Yes, on Friday.") embeds poorly on its own,
 * so its unit's text borrows its neighbours, nearest first (previous, then next, alternately), until
 * it holds `minWords` words; a segment that is long enough is embedded alone, so its vector is its
 * own and neighbours never blur a long segment. `maxWords` keeps a unit within MiniLM's 256 word
 * pieces (about 1.3 pieces per English word).
 *
 * minWords 8 (measured): at 16, filler lines of 10-14 words ("Does anyone have questions about
 * that?") borrowed the fact next to them and outranked the fact's own segment in search (0.81 vs
 * 0.79); at 8 only the really short lines borrow, and the fact segment ranks first (0.77 vs 0.12).
 */
import type { Segment } from '../transcript/types';

export interface EmbeddingUnit {
  /** Index of the segment in the transcript (the contract's `segment_order`). */
  order: number;
  start: number;
  end: number;
  /** The text embedded: the segment's own, or it with neighbours around it. */
  text: string;
}

export interface UnitOptions {
  minWords: number;
  maxWords: number;
}

export const DEFAULT_UNIT_OPTIONS: UnitOptions = { minWords: 8, maxWords: 160 };

const clean = (text: string) => text.trim().replace(/\s+/g, ' ');
const wordCount = (text: string) => (text ? text.split(' ').length : 0);

export function embeddingUnits(segments: Pick<Segment, 'start' | 'end' | 'text'>[], opts: UnitOptions = DEFAULT_UNIT_OPTIONS): EmbeddingUnit[] {
  const texts = segments.map((s) => clean(s.text));
  const words = texts.map(wordCount);
  const units: EmbeddingUnit[] = [];
  for (let i = 0; i < segments.length; i++) {
    if (!texts[i]) continue; // nothing said: nothing to find
    let lo = i;
    let hi = i;
    let total = words[i];
    // Alternate previous/next so the segment stays in the middle of its context.
    for (let step = 0; total < opts.minWords; step++) {
      const takePrev = step % 2 === 0 ? lo > 0 : hi === segments.length - 1;
      const j = takePrev ? lo - 1 : hi + 1;
      if (j < 0 || j >= segments.length) break;
      if (total + words[j] > opts.maxWords) break;
      total += words[j];
      if (takePrev) lo = j;
      else hi = j;
    }
    const text = texts.slice(lo, hi + 1).filter(Boolean).join(' ');
    units.push({ order: i, start: segments[i].start, end: segments[i].end, text: clip(text, opts.maxWords) });
  }
  return units;
}

/** A single segment longer than the bound is cut (the embedder would truncate it anyway). */
function clip(text: string, maxWords: number): string {
  const w = text.split(' ');
  return w.length > maxWords ? w.slice(0, maxWords).join(' ') : text;
}

/**
 * Identifies the segment texts the vectors were made from: vectors of a transcript that changed
 * since (or of another embedding unit rule) are stale and made again. FNV-1a 32-bit over the texts.
 */
export function unitsFingerprint(units: EmbeddingUnit[], opts: UnitOptions = DEFAULT_UNIT_OPTIONS): string {
  let h = 0x811c9dc5;
  const feed = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  };
  feed(`${opts.minWords}/${opts.maxWords}`);
  for (const u of units) feed(`\u0000${u.order}\u0001${u.text}`);
  return h.toString(16).padStart(8, '0');
}

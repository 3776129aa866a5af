/**
 * Plain text cut into the units a recipe's embed step gives one vector each: paragraphs (blank-line
 * separated, else lines), and a paragraph longer than MAX_UNIT_CHARS cut at sentence ends. MiniLM
 * reads at most 256 word pieces (about 1,000 characters of English), so a longer unit would be
 * embedded by its start only; this keeps every unit whole.
 */
import { pack, splitUnits } from '../llm/chunking';

export const MAX_UNIT_CHARS = 900;

export function textUnits(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, '\n').trim();
  if (!normalized) return [];
  let blocks = normalized.split(/\n\s*\n/);
  if (blocks.length === 1) blocks = normalized.split('\n');
  const units: string[] = [];
  for (const block of blocks) {
    const para = block.replace(/\s+/g, ' ').trim();
    // A paragraph over the limit: its sentences packed greedily up to it (lib/llm/chunking; a sentence
    // over it is cut at spaces).
    if (para) units.push(...pack(splitUnits(para, MAX_UNIT_CHARS), MAX_UNIT_CHARS, ' '));
  }
  return units;
}


/**
 * Plain text cut into the units a recipe's embed step gives one vector each: paragraphs (blank-line
 * separated, else lines), and a paragraph longer than MAX_UNIT_CHARS cut at sentence ends. MiniLM
 * reads at most 256 word pieces (about 1,000 characters of English), so a longer unit would be
 * embedded by its start only; this keeps every unit whole.
 */
export const MAX_UNIT_CHARS = 900;

export function textUnits(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, '\n').trim();
  if (!normalized) return [];
  let blocks = normalized.split(/\n\s*\n/);
  if (blocks.length === 1) blocks = normalized.split('\n');
  const units: string[] = [];
  for (const block of blocks) {
    const para = block.replace(/\s+/g, ' ').trim();
    if (!para) continue;
    if (para.length <= MAX_UNIT_CHARS) {
      units.push(para);
      continue;
    }
    // Sentences (a run ending in . ! ? or the end), packed greedily up to the limit; a single
    // sentence over it is cut at a space.
    let cur = '';
    for (const sentence of para.match(/[^.!?]+[.!?]*\s*/g) ?? [para]) {
      for (const piece of split(sentence.trim())) {
        if (cur && cur.length + 1 + piece.length > MAX_UNIT_CHARS) {
          units.push(cur);
          cur = piece;
        } else cur = cur ? `${cur} ${piece}` : piece;
      }
    }
    if (cur) units.push(cur);
  }
  return units;
}

function split(sentence: string): string[] {
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > MAX_UNIT_CHARS) {
    const cut = rest.lastIndexOf(' ', MAX_UNIT_CHARS);
    const at = cut > 0 ? cut : MAX_UNIT_CHARS;
    out.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) out.push(rest);
  return out;
}

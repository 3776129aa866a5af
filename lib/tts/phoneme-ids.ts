/**
 * Phonemes → the ids a Piper graph reads, exactly as Piper's runtime builds them (piper-tts 1.8
 * phoneme_ids.py): BOS, PAD, then each phoneme followed by PAD, then EOS; a phoneme the voice does
 * not know is dropped.
 */
export function phonemesToIds(phonemes: readonly string[], idMap: Record<string, number[]>): number[] {
  const ids = [...idMap['^'], ...idMap['_']];
  for (const p of phonemes) {
    const id = idMap[p];
    if (!id) continue;
    ids.push(...id, ...idMap['_']);
  }
  ids.push(...idMap['$']);
  return ids;
}

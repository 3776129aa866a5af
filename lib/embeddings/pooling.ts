/**
 * sentence-transformers' "mean" pooling then Normalize(): the average of the token vectors that the
 * attention mask keeps (padding excluded), scaled to unit length.
 */
export function meanPoolNormalized(hidden: Float32Array, mask: ArrayLike<bigint | number>, batch: number, seq: number, dim: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    let kept = 0;
    for (let t = 0; t < seq; t++) {
      if (!Number(mask[b * seq + t])) continue;
      kept++;
      const base = (b * seq + t) * dim;
      for (let d = 0; d < dim; d++) v[d] += hidden[base + d];
    }
    // clamp like torch.clamp(sum_mask, min=1e-9); every text has at least [CLS][SEP] anyway
    const scale = 1 / Math.max(kept, 1e-9);
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      v[d] *= scale;
      norm += v[d] * v[d];
    }
    // F.normalize's eps: a zero vector stays zero
    const inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let d = 0; d < dim; d++) v[d] *= inv;
    out.push(v);
  }
  return out;
}

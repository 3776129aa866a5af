/**
 * Dynamic time warping over a [rows][cols] cost matrix (openai-whisper's dtw_cpu + backtrace): the cheapest
 * monotonic path from (0,0) to (rows-1, cols-1). Returns the path as parallel row/column index arrays.
 */
export function dtw(cost: Float64Array, rows: number, cols: number): { rowIdx: number[]; colIdx: number[] } {
  const W = cols + 1;
  const acc = new Float64Array((rows + 1) * W).fill(Infinity);
  const trace = new Int8Array((rows + 1) * W).fill(-1);
  acc[0] = 0;
  for (let j = 1; j <= cols; j++) {
    for (let i = 1; i <= rows; i++) {
      const c0 = acc[(i - 1) * W + j - 1], c1 = acc[(i - 1) * W + j], c2 = acc[i * W + j - 1];
      let c: number, t: number;
      if (c0 < c1 && c0 < c2) { c = c0; t = 0; } // ties fall through exactly as in the reference
      else if (c1 < c0 && c1 < c2) { c = c1; t = 1; }
      else { c = c2; t = 2; }
      acc[i * W + j] = cost[(i - 1) * cols + j - 1] + c;
      trace[i * W + j] = t;
    }
  }
  for (let j = 0; j <= cols; j++) trace[j] = 2; // first row: only leftward moves remain
  for (let i = 0; i <= rows; i++) trace[i * W] = 1; // first column: only upward moves remain
  const rowIdx: number[] = [], colIdx: number[] = [];
  let i = rows, j = cols;
  while (i > 0 || j > 0) {
    rowIdx.push(i - 1); colIdx.push(j - 1);
    const t = trace[i * W + j];
    if (t === 0) { i--; j--; } else if (t === 1) i--; else if (t === 2) j--;
    else throw new Error('dtw: corrupt trace');
  }
  return { rowIdx: rowIdx.reverse(), colIdx: colIdx.reverse() };
}

/** Median filter of odd width along each row of [rows][cols] in place, reflect-padded like torch. */
export function medianFilterRows(x: Float64Array, rows: number, cols: number, width: number): void {
  const pad = width >> 1;
  if (cols <= pad) return; // reflect padding is undefined; the reference skips filtering too
  const line = new Float64Array(cols + 2 * pad);
  const win = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols + 2 * pad; c++) {
      let k = c - pad;
      if (k < 0) k = -k;
      else if (k >= cols) k = 2 * (cols - 1) - k;
      line[c] = x[base + k];
    }
    for (let c = 0; c < cols; c++) {
      // Insertion sort of a 7-wide window beats anything clever at this size.
      for (let a = 0; a < width; a++) {
        const v = line[c + a];
        let b = a - 1;
        while (b >= 0 && win[b] > v) { win[b + 1] = win[b]; b--; }
        win[b + 1] = v;
      }
      x[base + c] = win[pad];
    }
  }
}

/** What the benchmark processes share: JSON-lines output, peak RSS, exit handling. */

import fs from 'node:fs';

/**
 * Peak resident set size of this process so far, KB: VmHWM, the high-water mark of this process's own
 * memory. Not getrusage's maxRSS: on Linux that carries the parent's RSS at fork across exec, so a worker
 * spawned by a 544 MB jest worker "peaked" at 544 MB before loading anything.
 */
export function peakRssKb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux: fall back below
  }
  return process.resourceUsage().maxRSS;
}

/** One event per line on stdout (the parent parses lines starting with "{"). */
export const emit = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Runs a main and exits with its outcome (open ONNX sessions or servers would keep the process alive). */
export function runWorker(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** What the benchmark processes share: JSON-lines output, peak RSS, exit handling. */

/** Peak resident set size of this process so far, KB. */
export const peakRssKb = () => process.resourceUsage().maxRSS;

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

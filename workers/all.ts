/** Entrypoint for the all workers (embedded default: control and gpu in one process). */
import { runWorkers } from './main';

runWorkers(['control', 'gpu']).catch((err) => {
  console.error(err);
  process.exit(1);
});

/** Entrypoint for the control worker. */
import { runWorkers } from './main';

runWorkers(['control']).catch((err) => {
  console.error(err);
  process.exit(1);
});

/** Entrypoint for the gpu worker. */
import { runWorkers } from './main';

runWorkers(['gpu']).catch((err) => {
  console.error(err);
  process.exit(1);
});

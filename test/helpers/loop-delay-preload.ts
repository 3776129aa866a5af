/**
 * Preloaded into a child process by tests (`node --import tsx --import <this file> …`): the process
 * measures its own event-loop delay, and on SIGUSR2 writes the worst delay since the last SIGUSR2 to
 * stderr (`event-loop-delay-max-ms=<ms>`). This sees blocking inside the process itself, which
 * timing requests from outside confuses with a busy machine.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on('SIGUSR2', () => {
  process.stderr.write(`event-loop-delay-max-ms=${(delay.max / 1e6).toFixed(1)}\n`);
  delay.reset();
});

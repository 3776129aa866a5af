/**
 * Keeps a set of child processes running: each is its own OS process, restarted with backoff
 * whenever it exits (every exit logged with its code or signal), all stopped on stop() — SIGTERM,
 * then SIGKILL after the child's grace period. Children get an IPC channel so they can notice the
 * supervisor's death (lib/supervisor/parent-watch.ts) and never outlive it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Backoff, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Resolves once the child serves (e.g. its port answers); start() waits for it. */
  ready?: (child: ChildProcess) => Promise<void>;
  /** How long SIGTERM may take before SIGKILL on stop(). */
  stopGraceMs?: number;
}

export type Spawner = (spec: ChildSpec) => ChildProcess;

export interface SupervisorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface SupervisorOptions {
  log: SupervisorLog;
  backoff?: BackoffPolicy;
  /** Default grace for children without their own. */
  stopGraceMs?: number;
  spawn?: Spawner;
}

export interface ChildExit {
  name: string;
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  ranForMs: number;
  /** Delay before the restart; undefined when the supervisor is stopping. */
  restartInMs?: number;
}

interface Slot {
  spec: ChildSpec;
  backoff: Backoff;
  child?: ChildProcess;
  startedAt: number;
  restartTimer?: NodeJS.Timeout;
  exited?: Promise<void>;
  starts: number;
}

/**
 * The default: a node child with an IPC channel and the supervisor's stdout/stderr, in its own
 * process group, so a terminal's Ctrl-C reaches only the supervisor, which then stops the children
 * in order (API and workers before the Temporal server they need to hand work back).
 */
export const spawnWithIpc: Spawner = (spec) =>
  spawn(spec.command, spec.args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: spec.env ?? process.env, detached: true });

export class Supervisor extends EventEmitter {
  private readonly slots: Slot[] = [];
  private stopping = false;

  constructor(private readonly opts: SupervisorOptions) {
    super();
  }

  /** Starts a child (and waits until it is ready); from then on it is kept running until stop(). */
  async start(spec: ChildSpec): Promise<ChildProcess> {
    if (this.stopping) throw new Error('supervisor is stopping');
    const slot: Slot = { spec, backoff: new Backoff(this.opts.backoff ?? DEFAULT_BACKOFF), startedAt: 0, starts: 0 };
    this.slots.push(slot);
    const child = this.launch(slot);
    if (spec.ready) {
      const early = new Promise<never>((_, reject) =>
        child.once('exit', (code, signal) => reject(new Error(`${spec.name} exited (${signal ?? code}) before it was ready`))),
      );
      await Promise.race([spec.ready(child), early]);
    }
    return child;
  }

  /** The running child of that name, if any (tests kill it; operators read its pid from the log). */
  child(name: string): ChildProcess | undefined {
    return this.slots.find((s) => s.spec.name === name)?.child;
  }

  /** How many times the child was started (1 = never restarted). */
  starts(name: string): number {
    return this.slots.find((s) => s.spec.name === name)?.starts ?? 0;
  }

  /** Stops every child, last started first, each with SIGTERM then SIGKILL after its grace. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const slot of [...this.slots].reverse()) {
      clearTimeout(slot.restartTimer);
      await this.terminate(slot);
    }
  }

  private launch(slot: Slot): ChildProcess {
    const { spec } = slot;
    const child = (this.opts.spawn ?? spawnWithIpc)(spec);
    slot.child = child;
    slot.startedAt = Date.now();
    slot.starts++;
    this.opts.log.info({ child: spec.name, childPid: child.pid, start: slot.starts }, `${spec.name} started`);
    this.emit('start', { name: spec.name, pid: child.pid });
    // A failed spawn (ENOENT…) emits 'error' and then 'exit'; the exit handler restarts it.
    child.on('error', (err) => this.opts.log.warn({ child: spec.name, err: err.message }, `${spec.name} could not be started`));
    slot.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        if (slot.child === child) slot.child = undefined;
        const ranForMs = Date.now() - slot.startedAt;
        const exit: ChildExit = { name: spec.name, pid: child.pid, code, signal, ranForMs };
        if (this.stopping) {
          this.opts.log.info({ child: spec.name, childPid: child.pid, code, signal }, `${spec.name} stopped`);
          this.emit('exit', exit);
          return;
        }
        exit.restartInMs = slot.backoff.next(ranForMs);
        this.opts.log.warn(
          { child: spec.name, childPid: child.pid, code, signal, ranForMs, restartInMs: exit.restartInMs, consecutiveFailures: slot.backoff.attempts },
          `${spec.name} exited (${signal ? `signal ${signal}` : `code ${code}`}); restarting in ${exit.restartInMs} ms`,
        );
        this.emit('exit', exit);
        slot.restartTimer = setTimeout(() => {
          if (!this.stopping) this.launch(slot);
        }, exit.restartInMs);
      });
    });
    return child;
  }

  private async terminate(slot: Slot): Promise<void> {
    const child = slot.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const grace = slot.spec.stopGraceMs ?? this.opts.stopGraceMs ?? 10_000;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      this.opts.log.warn({ child: slot.spec.name, childPid: child.pid, graceMs: grace }, `${slot.spec.name} ignored SIGTERM; SIGKILL`);
      child.kill('SIGKILL');
    }, grace);
    await slot.exited;
    clearTimeout(timer);
  }
}

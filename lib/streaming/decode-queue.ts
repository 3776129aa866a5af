/**
 * One engine thread's decode order, shared by all its streams (one Whisper session: decodes run one
 * at a time anyway). Final decodes come first and are never dropped: they are the text a client
 * keeps. A stream has at most one partial waiting; asking again while one waits replaces it (the
 * newer audio supersedes the older) and tells the stream it is behind, so the buffer of pending
 * work is bounded by the number of streams, whatever the load.
 */
interface Final {
  run(): Promise<void>;
  done(): void;
  failed(err: Error): void;
}
interface Partial {
  run(waitedMs: number): Promise<void>;
  queuedAt: number;
}

export class DecodeQueue {
  private readonly finals: Final[] = [];
  private readonly partials = new Map<string, Partial>();
  private busy = false;

  /** Resolves when the final decode has run (rejects if it threw). */
  final(run: () => Promise<void>): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.finals.push({ run, done, failed });
      this.kick();
    });
  }

  /** Queues (or replaces) the stream's partial; true when one was already waiting (the stream is behind). */
  partial(streamId: string, run: (waitedMs: number) => Promise<void>): boolean {
    const waiting = this.partials.get(streamId);
    // Replacing keeps the stream's place in line (Map order), so a busy stream cannot starve others.
    this.partials.set(streamId, { run, queuedAt: waiting?.queuedAt ?? Date.now() });
    this.kick();
    return waiting !== undefined;
  }

  /** Forgets a stream's waiting partial (it ended or was finalised). */
  dropPartial(streamId: string): void {
    this.partials.delete(streamId);
  }

  /** Forgets all waiting work and resolves once the decode now running (if any) has returned. */
  async drain(): Promise<void> {
    this.partials.clear();
    for (const f of this.finals.splice(0)) f.failed(new Error('shutting down'));
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
  }

  /** Finals waiting or running. */
  get pendingFinals(): number {
    return this.finals.length;
  }

  private kick(): void {
    if (this.busy) return;
    this.busy = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        // Let queued audio messages in (VAD, endpointing) between decodes.
        await new Promise((r) => setImmediate(r));
        const f = this.finals.shift();
        if (f) {
          try {
            await f.run();
            f.done();
          } catch (err) {
            f.failed(err as Error);
          }
          continue;
        }
        const next = this.partials.entries().next();
        if (next.done) break;
        const [id, p] = next.value;
        this.partials.delete(id);
        await p.run(Date.now() - p.queuedAt).catch(() => undefined); // a failed partial is only a missed update
      }
    } finally {
      this.busy = false;
    }
    if (this.finals.length || this.partials.size) this.kick();
  }
}

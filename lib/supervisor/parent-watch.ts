/**
 * A supervised child must not outlive its supervisor, even one killed with SIGKILL (which cannot
 * clean up). The supervisor gives each child an IPC channel; the OS closes it when the supervisor
 * dies, and the child then runs `onGone` (its normal graceful shutdown). As a second signal, for
 * children started without IPC, a change of parent pid (re-parented to init) means the same.
 */
export function watchParent(onGone: (reason: string) => void, pollMs = 1000): () => void {
  let fired = false;
  const fire = (reason: string) => {
    if (fired) return;
    fired = true;
    stop();
    onGone(reason);
  };
  const onDisconnect = () => fire('supervisor IPC channel closed');
  // Started with a channel that is already closed: the supervisor died before this watch began.
  if (typeof process.send === 'function' && !process.connected) {
    setImmediate(() => onGone('supervisor IPC channel closed before the watch started'));
    return () => undefined;
  }
  const hasIpc = typeof process.send === 'function';
  if (hasIpc) {
    process.on('disconnect', onDisconnect);
    // The IPC channel must not keep a child alive that would otherwise exit.
    process.channel?.unref();
  }
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) fire(`parent ${parent} gone`);
  }, pollMs);
  timer.unref();
  function stop() {
    clearInterval(timer);
    if (hasIpc) process.off('disconnect', onDisconnect);
  }
  return stop;
}

/** True when this process was started by the launcher's supervisor (it has the IPC channel). */
export const isSupervised = (): boolean => typeof process.send === 'function';

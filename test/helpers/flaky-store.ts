import type { ObjectStore } from '../../lib/storage';

/**
 * Real storage whose job-output writes fail on demand (a flaky disk or network), for retry tests.
 * `failures.next` counts how many of the next output writes fail.
 */
export function flakyStore(inner: ObjectStore): { store: ObjectStore; failures: { next: number } } {
  const failures = { next: 0 };
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'put') {
        return async (key: string, ...rest: unknown[]) => {
          if (key.startsWith('jobs/') && failures.next > 0) {
            failures.next--;
            throw new Error('simulated storage outage');
          }
          return (target.put as (...a: unknown[]) => unknown).call(target, key, ...rest);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { store, failures };
}

/** Small async building blocks the background shares. */

/** Runs tasks one at a time per key (a read and the write it decides stay together); keys run independently. */
export function keyedQueue(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const queues = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const run = (queues.get(key) ?? Promise.resolve()).then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return run;
  };
}

/** Wake-ups by key: `wait` resolves on the next `wake` of that key, or at `deadline` (ms since epoch). */
export function wakeups(): { wait(key: string, deadline: number): Promise<void>; wake(key: string): void } {
  const waiters = new Map<string, Set<() => void>>();
  return {
    wait(key, deadline) {
      return new Promise<void>((resolve) => {
        const set = waiters.get(key) ?? new Set();
        waiters.set(key, set);
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          if (!set.size) waiters.delete(key);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        set.add(done);
      });
    },
    wake(key) {
      for (const done of [...(waiters.get(key) ?? [])]) done();
    },
  };
}

/**
 * The flood guard's store over `storage.local`. The background is the only writer, so a per-key queue
 * in this context makes every update atomic (read, change, write, with no other update of that key in
 * between); each write is one `storage.local.set`, so a service worker stopped at any moment leaves the
 * last complete state behind — and with it the block-until, which survives a browser restart.
 */
import type { Storage } from 'webextension-polyfill';
import { reviveFloodState, type FloodState, type FloodStateChange, type FloodStore } from '../../core/stores/types.js';
import { FLOOD_PREFIX } from '../shared/storage.js';

export function createStorageFloodStore(area: Storage.StorageArea): FloodStore {
  const queues = new Map<string, Promise<unknown>>();

  function serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return run;
  }

  async function read(key: string): Promise<FloodState | undefined> {
    const name = FLOOD_PREFIX + key;
    const stored = await area.get(name);
    return reviveFloodState(stored[name]);
  }

  return {
    get: (key) => read(key),
    update(key: string, change: FloodStateChange) {
      return serialize(key, async () => {
        const current = await read(key);
        const next = change(current);
        if (next === current) return current;
        if (next === undefined) await area.remove(FLOOD_PREFIX + key);
        else await area.set({ [FLOOD_PREFIX + key]: JSON.parse(JSON.stringify(next)) as unknown });
        return next;
      });
    },
    async keys() {
      const all = await area.get(null);
      return Object.keys(all)
        .filter((name) => name.startsWith(FLOOD_PREFIX))
        .map((name) => name.slice(FLOOD_PREFIX.length));
    },
  };
}

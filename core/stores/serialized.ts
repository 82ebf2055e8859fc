import { reviveFloodState, type FloodState, type FloodStateChange, type FloodStore } from './types.js';

/**
 * An asynchronous key-value area — what the extension implements over `browser.storage.local`
 * (or `storage.session`): values are structured-cloned plain objects.
 */
export interface AsyncKeyValueArea {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
  /** Every key in the area (the store filters its own by prefix). */
  keys(): Promise<string[]>;
  /** Changes written by other contexts, e.g. from `browser.storage.onChanged`. */
  onChanged?(listener: (key: string) => void): () => void;
}

export interface SerializedStoreOptions {
  area: AsyncKeyValueArea;
  prefix?: string;
}

const DEFAULT_PREFIX = 'xtream-error-ux:flood:';

/**
 * A store over an asynchronous area. Updates of one key are queued, so each read-modify-write
 * sees the previous one's result. The queue lives in this context: let one context own the
 * writes (the extension's background service worker) and the others read and subscribe.
 */
export function createSerializedStore(options: SerializedStoreOptions): FloodStore {
  const { area } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const queues = new Map<string, Promise<unknown>>();
  const listeners = new Set<(key: string) => void>();
  /** Writes this context made, so that their echoes from onChanged are not reported as foreign. */
  const ownWrites = new Map<string, number>();

  const read = async (key: string): Promise<FloodState | undefined> => {
    try {
      return reviveFloodState(await area.get(prefix + key));
    } catch {
      return undefined;
    }
  };

  const apply = async (key: string, change: FloodStateChange): Promise<FloodState | undefined> => {
    const current = await read(key);
    const next = change(current);
    if (next === current) return current;
    ownWrites.set(key, (ownWrites.get(key) ?? 0) + 1);
    if (next === undefined) await area.remove(prefix + key);
    else await area.set(prefix + key, JSON.parse(JSON.stringify(next)));
    return next;
  };

  const unsubscribeArea = area.onChanged?.((name) => {
    if (!name.startsWith(prefix)) return;
    const key = name.slice(prefix.length);
    const own = ownWrites.get(key) ?? 0;
    if (own > 0) {
      if (own === 1) ownWrites.delete(key);
      else ownWrites.set(key, own - 1);
      return;
    }
    for (const listener of listeners) {
      try {
        listener(key);
      } catch {
        /* a listener's failure is its own */
      }
    }
  });

  return {
    get: read,
    update(key, change) {
      const previous = queues.get(key) ?? Promise.resolve();
      const run = previous.then(
        () => apply(key, change),
        () => apply(key, change),
      );
      const settled = run.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return run;
    },
    async keys() {
      const names = await area.keys();
      return names.filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      unsubscribeArea?.();
      listeners.clear();
    },
  };
}

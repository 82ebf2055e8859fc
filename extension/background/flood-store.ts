/**
 * The flood guard's store over `storage.local`. The background is the only writer, so a per-key queue
 * in this context makes every update atomic (read, change, write, with no other update of that key in
 * between); each write is one `storage.local.set`, so a service worker stopped at any moment leaves the
 * last complete state behind — and with it the block-until, which survives a browser restart.
 *
 * Reads are served from memory once a key has been read (write-through: every update lands in storage
 * before it is answered) — no storage round trip for each check, snapshot and reconciliation. Nothing else
 * writes these keys (popup and options ask the background); a worker that starts afresh reads storage again,
 * and whoever removes keys behind the store's back (a test build's `test:forget-all`) calls `forget()`.
 */
import type { Storage } from 'webextension-polyfill';
import { reviveFloodState, type FloodState, type FloodStateChange, type FloodStore } from '../../core/stores/types.js';
import { FLOOD_PREFIX } from '../shared/storage.js';
import { keyedQueue } from './waits.js';

type Area = Pick<Storage.StorageArea, 'get' | 'set' | 'remove'>;

export function createStorageFloodStore(area: Area): FloodStore & { forget(): void } {
  /** Known states (undefined: known to be absent). A key missing from the map has not been read yet. */
  const cache = new Map<string, FloodState | undefined>();
  /** All keys in storage, once listed. */
  let keys: Set<string> | undefined;


  const serialize = keyedQueue();

  async function read(key: string): Promise<FloodState | undefined> {
    if (cache.has(key)) return cache.get(key);
    const name = FLOOD_PREFIX + key;
    const stored = await area.get(name);
    // An update that ran meanwhile (it read first, then wrote) knows better than this older read.
    if (!cache.has(key)) cache.set(key, reviveFloodState(stored[name]));
    return cache.get(key);
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
        cache.set(key, next);
        if (next) keys?.add(key);
        else keys?.delete(key);
        return next;
      });
    },
    async keys() {
      if (!keys) {
        const all = await area.get(null);
        keys = new Set(
          Object.keys(all)
            .filter((name) => name.startsWith(FLOOD_PREFIX))
            .map((name) => name.slice(FLOOD_PREFIX.length)),
        );
        for (const key of cache.keys()) if (cache.get(key)) keys.add(key);
      }
      return [...keys];
    },
    /** Drops what memory holds (after storage was changed behind the store's back). */
    forget() {
      cache.clear();
      keys = undefined;
    },
  };
}

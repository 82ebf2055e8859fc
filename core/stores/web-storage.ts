import { parseFloodState, type FloodState, type FloodStateChange, type FloodStore } from './types.js';

/** The part of the Web Storage API the store uses (`localStorage`, or a shim in Node). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

/** Where `storage` events arrive (`window` in a page). */
export interface StorageEventSource {
  addEventListener(type: 'storage', listener: (event: StorageEventLike) => void): void;
  removeEventListener(type: 'storage', listener: (event: StorageEventLike) => void): void;
}

export interface StorageEventLike {
  readonly key: string | null;
  readonly storageArea?: unknown;
}

/** A BroadcastChannel or anything shaped like one. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close?(): void;
}

/** The Web Locks API (`navigator.locks`), which makes updates atomic across tabs and workers. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => T | Promise<T>): Promise<T>;
}

export interface WebStorageStoreOptions {
  /** `localStorage` (shared by the tabs of one origin) or a Storage-like object. */
  storage: StorageLike;
  /** Key prefix inside the storage. */
  prefix?: string;
  /** Where `storage` events from other tabs arrive — pass `window` in a page. */
  events?: StorageEventSource;
  /**
   * A channel for change notices between contexts that do not get `storage` events (workers,
   * other store instances in the same tab): a BroadcastChannel, or its name.
   */
  channel?: ChannelLike | string;
  /**
   * Cross-process atomicity. Defaults to `navigator.locks` when the platform has it; without
   * it, an update is one synchronous read-modify-write, atomic within one event loop.
   */
  locks?: LockManagerLike | null;
}

const DEFAULT_PREFIX = 'xtream-error-ux:flood:';

/**
 * Flood state in Web Storage: the tabs of one portal share one count and one set of slots.
 * Other tabs' writes are reported through `subscribe` (from `storage` events or the channel).
 */
export function createWebStorageStore(options: WebStorageStoreOptions): FloodStore {
  const { storage } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const locks =
    options.locks === undefined
      ? ((globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks ?? null)
      : options.locks;
  const channel: ChannelLike | undefined =
    typeof options.channel === 'string'
      ? typeof BroadcastChannel === 'function'
        ? (new BroadcastChannel(options.channel) as unknown as ChannelLike)
        : undefined
      : options.channel;
  const ownsChannel = typeof options.channel === 'string';
  const listeners = new Set<(key: string) => void>();
  /** States a full or failing storage refused: kept here so that the guard still works in this tab. */
  const fallback = new Map<string, FloodState>();

  const read = (key: string): FloodState | undefined => {
    if (fallback.has(key)) return fallback.get(key);
    try {
      return parseFloodState(storage.getItem(prefix + key));
    } catch {
      return undefined;
    }
  };

  const write = (key: string, state: FloodState | undefined): void => {
    try {
      if (state === undefined) storage.removeItem(prefix + key);
      else storage.setItem(prefix + key, JSON.stringify(state));
      fallback.delete(key);
    } catch {
      if (state === undefined) fallback.delete(key);
      else fallback.set(key, state);
    }
    try {
      channel?.postMessage({ type: 'xtream-error-ux:flood', key });
    } catch {
      /* a closed channel only costs the notice */
    }
  };

  const apply = (key: string, change: FloodStateChange): FloodState | undefined => {
    const current = read(key);
    const next = change(current);
    if (next !== current) write(key, next);
    return next;
  };

  const notify = (key: string): void => {
    for (const listener of listeners) {
      try {
        listener(key);
      } catch {
        /* a listener's failure is its own */
      }
    }
  };

  const onStorage = (event: StorageEventLike): void => {
    if (event.storageArea !== undefined && event.storageArea !== storage) return;
    if (event.key === null) {
      for (const key of keysNow()) notify(key);
    } else if (event.key.startsWith(prefix)) {
      notify(event.key.slice(prefix.length));
    }
  };
  const onMessage = (event: { data: unknown }): void => {
    const data = event.data as { type?: unknown; key?: unknown } | null;
    if (data && data.type === 'xtream-error-ux:flood' && typeof data.key === 'string') notify(data.key);
  };
  options.events?.addEventListener('storage', onStorage);
  channel?.addEventListener('message', onMessage);

  function keysNow(): string[] {
    const found = new Set<string>(fallback.keys());
    try {
      for (let index = 0; index < storage.length; index++) {
        const name = storage.key(index);
        if (name?.startsWith(prefix)) found.add(name.slice(prefix.length));
      }
    } catch {
      /* unreadable storage: what this tab holds */
    }
    return [...found];
  }

  return {
    async get(key) {
      return read(key);
    },
    async update(key, change) {
      if (!locks) return apply(key, change);
      return locks.request(prefix + key, () => apply(key, change));
    },
    async keys() {
      return keysNow();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      options.events?.removeEventListener('storage', onStorage);
      channel?.removeEventListener('message', onMessage);
      if (ownsChannel) channel?.close?.();
      listeners.clear();
    },
  };
}

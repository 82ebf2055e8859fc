import type { FloodState, FloodStateChange, FloodStore } from './types.js';

/** The default store: one Map in this context. Updates run synchronously, so they are atomic. */
export function createMemoryStore(): FloodStore {
  const states = new Map<string, FloodState>();
  return {
    async get(key) {
      return states.get(key);
    },
    async update(key: string, change: FloodStateChange) {
      const current = states.get(key);
      const next = change(current);
      if (next === current) return current;
      if (next === undefined) states.delete(key);
      else states.set(key, next);
      return next;
    },
    async keys() {
      return [...states.keys()];
    },
  };
}

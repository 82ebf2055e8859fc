import { lookup } from '../../core/catalog.js';
import type { Diagnosis, EndpointKind } from '../../core/types.js';

/** A clock tests move by hand. */
export function fakeClock(start = Date.UTC(2025, 0, 1)) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
      return time;
    },
    advanceTo(at: number) {
      time = Math.max(time, at);
      return time;
    },
  };
}

/** A Diagnosis with the catalog's facts for `code`, as classify would give it. */
export function diagnosis(code: string, extra: Partial<Diagnosis> & { endpointKind?: EndpointKind } = {}): Diagnosis {
  const entry = lookup(code);
  if (!entry) throw new Error(`no catalog entry ${code}`);
  const { endpointKind = 'player-api', ...rest } = extra;
  return {
    source: entry.source,
    code,
    known: true,
    key: code,
    kind: entry.kind,
    category: entry.category,
    severity: entry.severity,
    fixer: entry.fixer,
    retry: entry.retry,
    flood: entry.flood,
    definitive: entry.definitive,
    httpStatus: entry.httpStatus[0],
    endpoint: { kind: endpointKind, bulk: false },
    ...rest,
  };
}

/** A Web Storage stand-in: one area shared by "tabs", each with its own `window` event target. */
export function sharedStorage() {
  const items = new Map<string, string>();
  type Listener = (event: { key: string | null; storageArea?: unknown }) => void;
  const tabs: Array<{ listeners: Set<Listener>; area: unknown }> = [];
  return {
    items,
    /** A tab: its Storage view (whose writes fire `storage` in the other tabs) and its event source. */
    tab() {
      const listeners = new Set<Listener>();
      const self = { listeners, area: undefined as unknown };
      const fire = (key: string | null) => {
        for (const other of tabs) {
          if (other === self) continue;
          for (const listener of other.listeners) listener({ key, storageArea: other.area });
        }
      };
      const storage = {
        get length() {
          return items.size;
        },
        key: (index: number) => [...items.keys()][index] ?? null,
        getItem: (key: string) => items.get(key) ?? null,
        setItem(key: string, value: string) {
          items.set(key, String(value));
          fire(key);
        },
        removeItem(key: string) {
          items.delete(key);
          fire(key);
        },
      };
      self.area = storage;
      tabs.push(self);
      const events = {
        addEventListener: (_type: 'storage', listener: Listener) => listeners.add(listener),
        removeEventListener: (_type: 'storage', listener: Listener) => listeners.delete(listener),
      };
      return { storage, events };
    },
  };
}

import type { Diagnosis } from '../types.js';
import {
  EMPTY_FLOOD_STATE,
  parseFloodState,
  type FloodSlot,
  type FloodState,
  type FloodStateChange,
  type FloodStore,
  type FloodUpdateOptions,
} from './types.js';

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

/** The Web Locks API (`navigator.locks`): tabs in different processes take turns for the rare updates that need it. */
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
   * Turns between tabs in different processes for the rare updates that are not additive (see
   * `createWebStorageStore`). Defaults to `navigator.locks` when the platform has it; `null` runs every update
   * as one synchronous step, which is exact among the contexts of one event loop.
   */
  locks?: LockManagerLike | null;
}

const DEFAULT_PREFIX = 'xtream-error-ux:flood:';
const NOTICE = 'xtream-error-ux:flood';
/** Storage names beside a key's own: its registry of tabs, and each tab's entry. */
const TABS_SUFFIX = '#tabs';
const TAB_INFIX = '#tab:';
const SUFFIXED_NAME = /^(.*)#(?:tabs|tab:[^#]*)$/;

/** The additive part of a state: a tab's contribution since the epoch began, or the epoch's base. */
interface Counters {
  failures: number;
  streak: number;
  lastFailureAt?: number;
  backoffUntil?: number;
  blockedUntil?: number;
  retryAfterUntil?: number;
  hardStop?: true;
  diagnosis?: Diagnosis;
  /** A Lamport order of `diagnosis`: the merged state shows the latest one written by any tab. */
  order?: number;
}

/** What one tab wrote for one key: its counters in `epoch` (ignored once the epoch has moved on) and its slots. */
interface TabEntry extends Counters {
  v: 2;
  epoch: number;
  slots: FloodSlot[];
}

/** The key's own record: the epoch, the state the epoch began with, and the `allowOnce` ticket. */
interface SharedRecord {
  v: 2;
  epoch: number;
  base: Counters;
  tickets: number;
}

/** The merged state and what it was made from. */
interface View {
  state: FloodState | undefined;
  shared: SharedRecord;
  own: TabEntry;
  /** Other tabs' entries by tab id (a key written by an older version shows as one entry, '' ). */
  others: Map<string, TabEntry>;
  registry: string[];
  /** The highest diagnosis order seen. */
  order: number;
}

const TIMES = ['lastFailureAt', 'backoffUntil', 'blockedUntil', 'retryAfterUntil'] as const;

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function count(value: unknown): number {
  return Math.max(0, Math.floor(finite(value) ?? 0));
}

function countersOf(raw: Record<string, unknown>): Counters {
  const diagnosis =
    raw.diagnosis && typeof raw.diagnosis === 'object' && typeof (raw.diagnosis as Diagnosis).code === 'string' ? (raw.diagnosis as Diagnosis) : undefined;
  return {
    failures: count(raw.failures),
    streak: count(raw.streak),
    lastFailureAt: finite(raw.lastFailureAt),
    backoffUntil: finite(raw.backoffUntil),
    blockedUntil: finite(raw.blockedUntil),
    retryAfterUntil: finite(raw.retryAfterUntil),
    hardStop: raw.hardStop === true ? true : undefined,
    diagnosis,
    order: finite(raw.order),
  };
}

function slotsOf(raw: unknown): FloodSlot[] {
  return Array.isArray(raw)
    ? raw.filter((slot): slot is FloodSlot => !!slot && typeof slot === 'object' && typeof slot.id === 'string' && finite(slot.at) !== undefined)
    : [];
}

function emptyEntry(epoch: number, slots: FloodSlot[] = []): TabEntry {
  return { v: 2, epoch, failures: 0, streak: 0, slots };
}

function isEmpty(entry: TabEntry): boolean {
  return (
    entry.slots.length === 0 &&
    entry.failures === 0 &&
    entry.streak === 0 &&
    entry.hardStop === undefined &&
    entry.diagnosis === undefined &&
    TIMES.every((field) => entry[field] === undefined)
  );
}

const EMPTY_SHARED: SharedRecord = Object.freeze({ v: 2, epoch: 0, base: Object.freeze({ failures: 0, streak: 0 }), tickets: 0 });

/** Whether `next` takes back something `current` had: only a new epoch can, since tabs only ever add. */
function takesBack(current: FloodState, next: FloodState): boolean {
  if (next.failures < current.failures || next.streak < current.streak) return true;
  if ((current.hardStop && !next.hardStop) || (current.diagnosis && !next.diagnosis)) return true;
  for (const field of TIMES) {
    const was = current[field];
    if (was !== undefined && (next[field] === undefined || next[field]! < was)) return true;
  }
  return false;
}

/**
 * Flood state in Web Storage: the tabs of one portal share one count and one set of slots, without a lock on
 * the hot path.
 *
 * Each tab writes only its own entry per key (`<prefix><key>#tab:<id>`): its failures and streak since the key's
 * epoch began, the latest times it set, its diagnosis, and its own requests in flight. A read sums the entries
 * of the tabs listed in `<prefix><key>#tabs` over the base the epoch began with (`<prefix><key>`). Since no tab
 * rewrites another's numbers, concurrent updates never overwrite each other: 200 records from two tabs count 200.
 * A `begin` and a `record` are each one synchronous read and one write of the tab's own entry.
 *
 * What is not additive starts a new epoch: a success or a `reset` that takes failures back, the end of a wait,
 * the quiet hour. The tab writes the whole new state as the next epoch's base, and every entry of an older
 * epoch stops counting (its slots still count). Web Locks (`locks`, `navigator.locks` by default) are taken only
 * for such updates, for the `allowOnce` ticket (granted, and consumed exactly once) and for a `begin` that leaves
 * few requests to spare (`FloodUpdateOptions.exclusive`): tabs in different processes take turns there. Contexts
 * of one event loop (a page and its same-origin frames, windows it opened) see each other's writes at once, so
 * among them every update is exact. Between processes, browsers pass Web Storage writes on asynchronously: a
 * write made a moment ago elsewhere may be seen a moment late — counts are never lost, and the turns near the
 * pause keep such moments away from the decisions that matter.
 *
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
  /** This store's tab id: every entry it writes is its own. */
  const tab = Math.random().toString(36).slice(2, 10);
  /** This tab's entries, per key: it is their only writer, so memory holds the truth. */
  const ownEntries = new Map<string, TabEntry>();
  /** Values a full or failing storage refused, by storage name: kept here so that the guard still works in this tab. */
  const fallback = new Map<string, string | null>();
  /** The last parse of each storage name, reused while its text is unchanged. */
  const parsed = new Map<string, { text: string; value: unknown }>();

  const sharedName = (key: string) => prefix + key;
  const registryName = (key: string) => prefix + key + TABS_SUFFIX;
  const entryName = (key: string, id: string) => prefix + key + TAB_INFIX + id;

  function readText(name: string): string | null {
    if (fallback.has(name)) return fallback.get(name)!;
    try {
      return storage.getItem(name);
    } catch {
      return null;
    }
  }

  function readJson(name: string, text = readText(name)): unknown {
    if (text === null) return undefined;
    const cached = parsed.get(name);
    if (cached?.text === text) return cached.value;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    parsed.set(name, { text, value });
    return value;
  }

  function writeText(name: string, text: string | null): void {
    try {
      if (text === null) storage.removeItem(name);
      else storage.setItem(name, text);
      fallback.delete(name);
    } catch {
      fallback.set(name, text);
    }
  }

  /** The key's record; a whole state written by an older version becomes epoch 0's base (its slots an entry). */
  function readShared(key: string, text: string | null, others: Map<string, TabEntry>): SharedRecord {
    const raw = readJson(sharedName(key), text) as Record<string, unknown> | undefined;
    if (!raw || typeof raw !== 'object') return EMPTY_SHARED;
    if (raw.v === 2) {
      const base = raw.base && typeof raw.base === 'object' ? countersOf(raw.base as Record<string, unknown>) : EMPTY_SHARED.base;
      return { v: 2, epoch: count(raw.epoch), base, tickets: Math.min(1, count(raw.tickets)) };
    }
    const legacy = parseFloodState(text);
    if (!legacy) return EMPTY_SHARED;
    if (legacy.slots.length) others.set('', emptyEntry(0, [...legacy.slots]));
    return { v: 2, epoch: 0, base: countersOf(legacy as unknown as Record<string, unknown>), tickets: legacy.tickets };
  }

  function readEntry(name: string): TabEntry | undefined {
    const raw = readJson(name) as Record<string, unknown> | undefined;
    if (!raw || typeof raw !== 'object' || raw.v !== 2) return undefined;
    return { ...countersOf(raw), v: 2, epoch: count(raw.epoch), slots: slotsOf(raw.slots) };
  }

  function readRegistry(key: string): string[] {
    const raw = readJson(registryName(key));
    return Array.isArray(raw) ? raw.filter((id): id is string => typeof id === 'string') : [];
  }

  /** The merged state of a key: the epoch's base plus every tab's counters in it, and every tab's slots. */
  function read(key: string): View {
    const others = new Map<string, TabEntry>();
    const sharedText = readText(sharedName(key));
    const shared = readShared(key, sharedText, others);
    const registry = readRegistry(key);
    for (const id of registry) {
      if (id === tab) continue;
      const entry = readEntry(entryName(key, id));
      if (entry) others.set(id, entry);
    }
    const own = ownEntries.get(key) ?? emptyEntry(shared.epoch);
    const { base, epoch } = shared;
    let { failures, streak, lastFailureAt, backoffUntil, blockedUntil, retryAfterUntil, hardStop, diagnosis } = base;
    let order = base.order ?? 0;
    let diagnosisOrder = diagnosis ? order : -1;
    let slots = own.slots;
    let stored = sharedText !== null || ownEntries.has(key);
    const add = (entry: TabEntry, foreign: boolean): void => {
      if (foreign) stored = true;
      if (foreign && entry.slots.length) slots = slots.length ? [...slots, ...entry.slots] : entry.slots;
      if (entry.epoch < epoch) return;
      failures += entry.failures;
      streak += entry.streak;
      if (entry.lastFailureAt !== undefined && !(lastFailureAt! >= entry.lastFailureAt)) lastFailureAt = entry.lastFailureAt;
      if (entry.backoffUntil !== undefined && !(backoffUntil! >= entry.backoffUntil)) backoffUntil = entry.backoffUntil;
      if (entry.blockedUntil !== undefined && !(blockedUntil! >= entry.blockedUntil)) blockedUntil = entry.blockedUntil;
      if (entry.retryAfterUntil !== undefined && !(retryAfterUntil! >= entry.retryAfterUntil)) retryAfterUntil = entry.retryAfterUntil;
      if (entry.hardStop) hardStop = true;
      if (entry.order !== undefined) {
        order = Math.max(order, entry.order);
        if (entry.diagnosis && entry.order > diagnosisOrder) {
          diagnosis = entry.diagnosis;
          diagnosisOrder = entry.order;
        }
      }
    };
    add(own, false);
    for (const entry of others.values()) add(entry, true);
    const state: FloodState | undefined = stored
      ? { v: 1, failures, lastFailureAt, streak, backoffUntil, blockedUntil, retryAfterUntil, hardStop, tickets: shared.tickets, slots, diagnosis }
      : undefined;
    return { state, shared, own, others, registry, order };
  }

  /** Writes this tab's entry (removing it when it holds nothing) and makes sure the registry lists the tab. */
  function writeOwn(key: string, view: View, entry: TabEntry): void {
    if (isEmpty(entry)) {
      if (ownEntries.delete(key)) writeText(entryName(key, tab), null);
      return;
    }
    ownEntries.set(key, entry);
    // Listed before it is written: a tab that reads between the two finds no entry yet, never an unlisted one.
    if (!view.registry.includes(tab)) {
      // Tabs whose entries are gone (closed, or nothing to count) leave the list as this one joins it.
      const live = view.registry.filter((id) => view.others.has(id));
      writeText(registryName(key), JSON.stringify([...live, tab]));
    }
    writeText(entryName(key, tab), JSON.stringify(entry));
  }

  /** This tab's slots after `next`: its own that `next` still holds, and those `next` added. */
  function ownSlotsAfter(view: View, current: FloodState, next: FloodState): FloodSlot[] {
    const kept = view.own.slots.filter((slot) => next.slots.some((candidate) => candidate.id === slot.id));
    const added = next.slots.filter((slot) => !current.slots.some((candidate) => candidate.id === slot.id));
    if (added.length === 0) return kept.length === view.own.slots.length ? view.own.slots : kept;
    return kept.length ? [...kept, ...added] : added;
  }

  function countersFrom(state: FloodState, order: number | undefined): Counters {
    const { failures, streak, lastFailureAt, backoffUntil, blockedUntil, retryAfterUntil, hardStop, diagnosis } = state;
    return { failures, streak, lastFailureAt, backoffUntil, blockedUntil, retryAfterUntil, hardStop: hardStop ? true : undefined, diagnosis, order: diagnosis ? order : undefined };
  }

  /** Writes what `next` adds to `current` into this tab's entry (and the ticket into the key's record). */
  function commitAdditions(key: string, view: View, current: FloodState, next: FloodState): void {
    const own = view.own.epoch >= view.shared.epoch ? view.own : emptyEntry(view.shared.epoch, view.own.slots);
    const entry: TabEntry = {
      ...own,
      failures: own.failures + next.failures - current.failures,
      streak: own.streak + next.streak - current.streak,
      slots: ownSlotsAfter(view, current, next),
    };
    for (const field of TIMES) {
      const value = next[field];
      if (value !== current[field] && value !== undefined && !(entry[field]! >= value)) entry[field] = value;
    }
    if (next.hardStop && !current.hardStop) entry.hardStop = true;
    if (next.diagnosis && next.diagnosis !== current.diagnosis) {
      entry.diagnosis = next.diagnosis;
      entry.order = view.order + 1;
    }
    writeOwn(key, view, entry);
    if (next.tickets !== current.tickets) writeText(sharedName(key), JSON.stringify({ ...view.shared, tickets: next.tickets > 0 ? 1 : 0 }));
  }

  /**
   * Starts the next epoch with `next` as its base: every older entry stops counting. Entries of other tabs that
   * now hold nothing (no slot `next` keeps) are removed, and the registry with them.
   */
  function commitEpoch(key: string, view: View, current: FloodState, next: FloodState | undefined): void {
    let epoch = view.shared.epoch;
    for (const entry of view.others.values()) epoch = Math.max(epoch, entry.epoch);
    epoch++;
    const target = next ?? EMPTY_FLOOD_STATE;
    const order = target.diagnosis && target.diagnosis !== current.diagnosis ? view.order + 1 : view.order;
    const shared: SharedRecord = { v: 2, epoch, base: countersFrom(target, order), tickets: target.tickets > 0 ? 1 : 0 };
    writeText(sharedName(key), JSON.stringify(shared));
    const keeps = (slot: FloodSlot) => target.slots.some((candidate) => candidate.id === slot.id);
    const live: string[] = [];
    for (const [id, entry] of view.others) {
      if (id === '') continue;
      if (entry.slots.some(keeps)) live.push(id);
      else writeText(entryName(key, id), null);
    }
    if (live.length !== view.registry.filter((id) => id !== tab).length) writeText(registryName(key), JSON.stringify(view.registry.includes(tab) ? [...live, tab] : live));
    const slots = next ? ownSlotsAfter(view, current, next) : [];
    writeOwn(key, { ...view, registry: view.registry.includes(tab) ? [...live, tab] : live, shared }, emptyEntry(epoch, slots));
  }

  /**
   * One update as one synchronous step: read, change, write — or, when the change needs a turn (`inTurn` false),
   * nothing written and `done` false.
   */
  function attempt(key: string, change: FloodStateChange, inTurn: boolean, exclusive?: () => boolean): { done: boolean; result: FloodState | undefined } {
    const view = read(key);
    const next = change(view.state);
    if (next === view.state) return { done: true, result: next };
    const current = view.state ?? EMPTY_FLOOD_STATE;
    const epochal = next === undefined || takesBack(current, next);
    if (!inTurn && (epochal || next!.tickets !== current.tickets || exclusive?.())) return { done: false, result: next };
    if (epochal) commitEpoch(key, view, current, next);
    else commitAdditions(key, view, current, next!);
    try {
      channel?.postMessage({ type: NOTICE, key });
    } catch {
      /* a closed channel only costs the notice */
    }
    return { done: true, result: next };
  }

  const notify = (key: string): void => {
    for (const listener of listeners) {
      try {
        listener(key);
      } catch {
        /* a listener's failure is its own */
      }
    }
  };

  const keyOfName = (name: string): string | undefined => {
    if (!name.startsWith(prefix)) return undefined;
    const rest = name.slice(prefix.length);
    if (rest.endsWith(TABS_SUFFIX)) return undefined; // the registry alone changes no state
    return SUFFIXED_NAME.exec(rest)?.[1] ?? rest;
  };

  const onStorage = (event: StorageEventLike): void => {
    if (event.storageArea !== undefined && event.storageArea !== storage) return;
    if (event.key === null) {
      for (const key of keysNow()) notify(key);
      return;
    }
    const key = keyOfName(event.key);
    if (key !== undefined) notify(key);
  };
  const onMessage = (event: { data: unknown }): void => {
    const data = event.data as { type?: unknown; key?: unknown } | null;
    if (data && data.type === NOTICE && typeof data.key === 'string') notify(data.key);
  };
  options.events?.addEventListener('storage', onStorage);
  channel?.addEventListener('message', onMessage);

  function keysNow(): string[] {
    const found = new Set<string>();
    const consider = (name: string | null) => {
      if (!name?.startsWith(prefix)) return;
      const rest = name.slice(prefix.length);
      found.add(SUFFIXED_NAME.exec(rest)?.[1] ?? rest);
    };
    for (const name of fallback.keys()) consider(name);
    try {
      for (let index = 0; index < storage.length; index++) consider(storage.key(index));
    } catch {
      /* unreadable storage: what this tab holds */
    }
    for (const key of ownEntries.keys()) found.add(key);
    return [...found];
  }

  return {
    async get(key) {
      return read(key).state;
    },
    async update(key, change, updateOptions?: FloodUpdateOptions) {
      const first = attempt(key, change, !locks, updateOptions?.exclusive);
      if (first.done) return first.result;
      let ran = false;
      try {
        return await locks!.request(prefix + key, () => {
          ran = true;
          return attempt(key, change, true).result;
        });
      } catch (error) {
        // A context the platform refuses locks to (an opaque origin) still guards: one synchronous step.
        if (ran) throw error;
        return attempt(key, change, true).result;
      }
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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFloodGuard, type FloodGuard } from '../../core/flood-guard.js';
import {
  createMemoryStore,
  createSerializedStore,
  createWebStorageStore,
  type AsyncKeyValueArea,
  type FloodStore,
  type LockManagerLike,
} from '../../core/stores/index.js';
import { diagnosis, fakeClock, sharedStorage } from './flood-guard.helpers.js';

const KEY = 'panel.test';

/** An asynchronous area like browser.storage.local: every call resolves after a random number of turns. */
function asyncArea(): AsyncKeyValueArea & { values: Map<string, unknown>; emit(key: string): void } {
  const values = new Map<string, unknown>();
  const listeners = new Set<(key: string) => void>();
  const turns = () => new Promise<void>((resolve) => {
    let left = Math.floor(Math.random() * 4);
    const step = () => (left-- > 0 ? setImmediate(step) : resolve());
    step();
  });
  return {
    values,
    async get(key) {
      await turns();
      return structuredClone(values.get(key));
    },
    async set(key, value) {
      await turns();
      values.set(key, structuredClone(value));
      for (const listener of listeners) listener(key);
    },
    async remove(key) {
      await turns();
      values.delete(key);
      for (const listener of listeners) listener(key);
    },
    async keys() {
      return [...values.keys()];
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(key) {
      for (const listener of listeners) listener(key);
    },
  };
}

/** A Web Locks stand-in: one queue per lock name. */
function fakeLocks(): LockManagerLike & { requests: number } {
  const queues = new Map<string, Promise<unknown>>();
  const manager = {
    requests: 0,
    request<T>(name: string, callback: () => T | Promise<T>): Promise<T> {
      manager.requests++;
      const run = (queues.get(name) ?? Promise.resolve()).then(callback, callback);
      queues.set(name, run.catch(() => undefined));
      return run;
    },
  };
  return manager;
}

/** Two guards ("tabs") over one store setup, sharing one clock. */
type Tabs = { first: FloodGuard; second: FloodGuard; clock: ReturnType<typeof fakeClock> };

const setups: Record<string, () => Tabs> = {
  memory() {
    const clock = fakeClock();
    const store = createMemoryStore();
    return { clock, first: createFloodGuard({ now: clock.now, store }), second: createFloodGuard({ now: clock.now, store }) };
  },
  'web storage, two tabs'() {
    const clock = fakeClock();
    const shared = sharedStorage();
    const a = shared.tab();
    const b = shared.tab();
    return {
      clock,
      first: createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: a.storage, events: a.events, locks: null }) }),
      second: createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: b.storage, events: b.events, locks: null }) }),
    };
  },
  'web storage, two tabs with Web Locks'() {
    const clock = fakeClock();
    const shared = sharedStorage();
    const locks = fakeLocks();
    const a = shared.tab();
    const b = shared.tab();
    return {
      clock,
      first: createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: a.storage, events: a.events, locks }) }),
      second: createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: b.storage, events: b.events, locks }) }),
    };
  },
  'serialized (extension storage)'() {
    const clock = fakeClock();
    const store = createSerializedStore({ area: asyncArea() });
    return { clock, first: createFloodGuard({ now: clock.now, store }), second: createFloodGuard({ now: clock.now, store }) };
  },
};

describe('flood guard stores', () => {
  for (const [name, setup] of Object.entries(setups)) {
    describe(name, () => {
      it('counts 200 concurrent record calls on one key as 200', async () => {
        const { first, second } = setup();
        await Promise.all(
          Array.from({ length: 200 }, (_, index) => (index % 2 ? first : second).record(KEY, diagnosis('AUTH_FAILED'))),
        );
        assert.equal((await first.check(KEY)).failures, 200);
        assert.equal((await second.check(KEY)).failures, 200);
      });

      it('shares one count and one set of slots: concurrent begins at 8 failures let one request through', async () => {
        const { first, second, clock } = setup();
        for (let index = 0; index < 8; index++) await (index % 2 ? first : second).record(KEY, 'failure');
        clock.advanceTo((await second.check(KEY)).retryAt!);
        const tickets = await Promise.all([first.begin(KEY), second.begin(KEY), first.begin(KEY), second.begin(KEY)]);
        assert.equal(tickets.filter((ticket) => ticket.allowed).length, 1);
        assert.equal((await second.check(KEY)).inFlight, 1);
      });

      it('lets a ticket granted in one tab be used in the other', async () => {
        const { first, second, clock } = setup();
        await first.record(KEY, diagnosis('USER_EXPIRED'));
        clock.advance(60_000);
        await first.allowOnce(KEY);
        assert.equal((await second.begin(KEY)).allowed, true);
        assert.equal((await first.begin(KEY)).allowed, false);
      });
    });
  }

  it('tells a tab about another tab\'s records through storage events', async () => {
    const clock = fakeClock();
    const shared = sharedStorage();
    const a = shared.tab();
    const b = shared.tab();
    const first = createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: a.storage, events: a.events, locks: null }) });
    const second = createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: b.storage, events: b.events, locks: null }) });
    const seen = new Promise<number>((resolve) => second.subscribe(KEY, (status) => resolve(status.failures)));
    await first.record(KEY, 'failure');
    assert.equal(await seen, 1);
  });

  it('tells another context about records through a BroadcastChannel', async () => {
    const clock = fakeClock();
    const shared = sharedStorage();
    const name = `flood-test-${process.pid}-${Date.now()}`;
    const a = createWebStorageStore({ storage: shared.tab().storage, channel: name, locks: null });
    const b = createWebStorageStore({ storage: shared.tab().storage, channel: name, locks: null });
    const first = createFloodGuard({ now: clock.now, store: a });
    const second = createFloodGuard({ now: clock.now, store: b });
    const seen = new Promise<number>((resolve) => second.subscribe(KEY, (status) => resolve(status.failures)));
    await first.record(KEY, 'failure');
    await first.record(KEY, 'failure');
    assert.ok((await seen) >= 1);
    a.close?.();
    b.close?.();
  });

  it('uses Web Locks for every update when it has them', async () => {
    const clock = fakeClock();
    const locks = fakeLocks();
    const guard = createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: sharedStorage().tab().storage, locks }) });
    await guard.record(KEY, 'failure');
    await guard.begin(KEY);
    assert.equal(locks.requests, 2);
  });

  it('reads garbage in storage as no state', async () => {
    const shared = sharedStorage();
    const { storage } = shared.tab();
    storage.setItem('xtream-error-ux:flood:panel.test', '{not json');
    storage.setItem('xtream-error-ux:flood:other.test', JSON.stringify({ v: 1, failures: 'many', slots: 'none' }));
    const guard = createFloodGuard({ now: fakeClock().now, store: createWebStorageStore({ storage, locks: null }) });
    assert.equal((await guard.check(KEY)).failures, 0);
    assert.equal((await guard.check('other.test')).failures, 0);
    await guard.record(KEY, 'failure');
    assert.equal((await guard.check(KEY)).failures, 1);
  });

  it('keeps counting in the tab when storage refuses writes', async () => {
    const { storage } = sharedStorage().tab();
    const full = { ...storage, length: 0, key: () => null, getItem: storage.getItem, removeItem: storage.removeItem, setItem() { throw new Error('QuotaExceededError'); } };
    const guard = createFloodGuard({ now: fakeClock().now, store: createWebStorageStore({ storage: full, locks: null }) });
    for (let index = 0; index < 3; index++) await guard.record(KEY, 'failure');
    assert.equal((await guard.check(KEY)).failures, 3);
    assert.deepEqual(Object.keys(await guard.snapshot()), [KEY]);
  });

  it('stores no credentials and no server text', async () => {
    const shared = sharedStorage();
    const guard = createFloodGuard({ now: fakeClock().now, store: createWebStorageStore({ storage: shared.tab().storage, locks: null }) });
    await guard.record(
      KEY,
      diagnosis('USER_EXPIRED', {
        serverMessage: 'alice your account expired',
        details: 'password=hunter2',
        endpoint: { kind: 'player-api', bulk: false, url: 'http://panel.test/player_api.php?username=alice&password=hunter2' },
      }),
    );
    const stored = [...shared.items.values()].join('\n');
    assert.ok(stored.includes('USER_EXPIRED'));
    assert.ok(!/alice|hunter2/.test(stored), stored);
  });

  it('reports other contexts\' writes to an extension area, but not its own echoes', async () => {
    const area = asyncArea();
    const store = createSerializedStore({ area });
    const seen: string[] = [];
    store.subscribe!((key) => seen.push(key));
    const guard = createFloodGuard({ now: fakeClock().now, store });
    await guard.record(KEY, 'failure');
    assert.deepEqual(seen, []);
    area.emit('xtream-error-ux:flood:panel.test');
    area.emit('unrelated');
    assert.deepEqual(seen, [KEY]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createFloodGuard, type FloodGuard, type FloodOutcome, type FloodStatus } from '../../core/flood-guard.js';
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

  it('takes no Web Lock for begin and record, one for what only a new epoch or the ticket can do', async () => {
    const clock = fakeClock();
    const locks = fakeLocks();
    const guard = createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: sharedStorage().tab().storage, locks }) });
    for (let index = 0; index < 20; index++) {
      const ticket = await guard.begin(KEY);
      await guard.record(KEY, 'neutral', ticket.slot);
    }
    await guard.record(KEY, 'failure');
    assert.equal(locks.requests, 0, 'begin + record, and a failure, are additive');
    clock.advanceTo((await guard.check(KEY)).retryAt!);
    const ticket = await guard.begin(KEY);
    assert.equal(locks.requests, 1, 'the first begin after the wait ends it: a new epoch');
    await guard.record(KEY, 'success', ticket.slot);
    assert.equal(locks.requests, 2, 'a success takes the failure back: a new epoch');
    await guard.allowOnce(KEY);
    await guard.reset(KEY);
    assert.equal(locks.requests, 3, 'allowOnce grants a ticket; reset at a clean state changes nothing');
    await guard.begin(KEY);
    assert.equal(locks.requests, 4, 'the begin that consumes the ticket');
  });

  it('makes tabs take turns for a begin that leaves few requests to spare', async () => {
    const clock = fakeClock();
    const locks = fakeLocks();
    const guard = createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: sharedStorage().tab().storage, locks }) });
    const slots: string[] = [];
    for (let index = 0; index < 6; index++) slots.push((await guard.begin(KEY)).slot!);
    assert.equal(locks.requests, 0, '6 of 9 in flight: 3 to spare');
    slots.push((await guard.begin(KEY)).slot!);
    assert.equal(locks.requests, 1, 'the 7th leaves 2 to spare');
    for (const slot of slots) await guard.record(KEY, 'neutral', slot);
    assert.equal((await guard.check(KEY)).inFlight, 0);
  });

  it('lets a success in one tab clear the failures every tab counted', async () => {
    for (const locks of [null, fakeLocks()]) {
      const clock = fakeClock();
      const shared = sharedStorage();
      const tabs = [0, 1, 2].map(() => createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: shared.tab().storage, locks }) }));
      for (let index = 0; index < 6; index++) await tabs[index % 3]!.record(KEY, diagnosis('AUTH_FAILED'));
      assert.equal((await tabs[0]!.check(KEY)).failures, 6);
      clock.advanceTo((await tabs[0]!.check(KEY)).retryAt!);
      const ticket = await tabs[1]!.begin(KEY);
      await tabs[1]!.record(KEY, 'success', ticket.slot);
      for (const tab of tabs) {
        const status = await tab.check(KEY);
        assert.equal(status.failures, 0);
        assert.equal(status.level, 'ok');
        assert.equal(status.diagnosis, undefined);
      }
      // Counting starts again from there, in every tab.
      await tabs[2]!.record(KEY, 'failure');
      await tabs[0]!.record(KEY, 'failure');
      assert.equal((await tabs[1]!.check(KEY)).failures, 2);
    }
  });

  it('lets a reset in one tab lift the hard stop another tab recorded, keeping the count', async () => {
    const clock = fakeClock();
    const shared = sharedStorage();
    const locks = fakeLocks();
    const [first, second] = [0, 1].map(() => createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: shared.tab().storage, locks }) }));
    await first!.record(KEY, 'failure');
    await first!.record(KEY, diagnosis('USER_EXPIRED'));
    assert.equal((await second!.check(KEY)).reason, 'hard-stop');
    await second!.reset(KEY);
    const status = await first!.check(KEY);
    assert.equal(status.reason, undefined);
    assert.equal(status.allowed, true);
    assert.equal(status.failures, 2);
  });

  it('keeps the slots of another tab across a new epoch, and settles them where they were taken', async () => {
    const clock = fakeClock();
    const shared = sharedStorage();
    const [first, second] = [0, 1].map(() => createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: shared.tab().storage, locks: null }) }));
    const held = await first!.begin(KEY);
    await second!.record(KEY, 'failure');
    clock.advanceTo((await second!.check(KEY)).retryAt!);
    const other = await second!.begin(KEY);
    await second!.record(KEY, 'success', other.slot);
    assert.equal((await second!.check(KEY)).inFlight, 1, "the first tab's request is still in flight");
    await first!.record(KEY, 'neutral', held.slot);
    assert.equal((await second!.check(KEY)).inFlight, 0);
  });

  it('never reserves more slots than failures left, whatever tabs begin at once', async () => {
    for (const locks of [null, fakeLocks()]) {
      for (let failures = 0; failures <= 8; failures++) {
        const clock = fakeClock();
        const shared = sharedStorage();
        const tabs = [0, 1, 2].map(() => createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: shared.tab().storage, locks }) }));
        for (let index = 0; index < failures; index++) await tabs[index % 3]!.record(KEY, 'failure');
        clock.advance(3_600_000 - 1); // every wait over, the count not yet forgotten
        const tickets = await Promise.all(Array.from({ length: 12 }, (_, index) => tabs[index % 3]!.begin(KEY)));
        const allowed = tickets.filter((ticket) => ticket.allowed).length;
        assert.equal(allowed, Math.max(0, 9 - failures), `at ${failures} failures (${locks ? 'locks' : 'no locks'})`);
        assert.equal((await tabs[0]!.check(KEY)).inFlight, allowed);
      }
    }
  });

  it('leaves nothing of a tab in storage once its requests have settled without a failure', async () => {
    const shared = sharedStorage();
    const guard = createFloodGuard({ now: fakeClock().now, store: createWebStorageStore({ storage: shared.tab().storage, locks: null }) });
    const ticket = await guard.begin(KEY);
    assert.ok([...shared.items.keys()].some((name) => name.includes('#tab:')));
    await guard.record(KEY, null, ticket.slot);
    assert.deepEqual([...shared.items.keys()].filter((name) => name.includes('#tab:')), []);
    assert.deepEqual(Object.keys(await guard.snapshot()), [KEY]);
  });

  it('prunes the tabs that left nothing from the list as a new tab joins', async () => {
    const clock = fakeClock();
    const shared = sharedStorage();
    for (let index = 0; index < 5; index++) {
      const guard = createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: shared.tab().storage, locks: null }) });
      const ticket = await guard.begin(KEY);
      await guard.record(KEY, 'neutral', ticket.slot);
    }
    const registry = JSON.parse(shared.items.get(`xtream-error-ux:flood:${KEY}#tabs`)!) as string[];
    assert.equal(registry.length, 1);
  });

  it('still guards where the platform refuses Web Locks', async () => {
    const clock = fakeClock();
    const refused: LockManagerLike = { request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')) };
    const guard = createFloodGuard({ now: clock.now, store: createWebStorageStore({ storage: sharedStorage().tab().storage, locks: refused }) });
    await guard.record(KEY, diagnosis('USER_EXPIRED'));
    clock.advance(60_000);
    assert.equal((await guard.allowOnce(KEY)).ticket, true);
    assert.equal((await guard.begin(KEY)).allowed, true);
    assert.equal((await guard.begin(KEY)).allowed, false);
  });

  it('reads a state an older version stored as the base of the count', async () => {
    const shared = sharedStorage();
    const { storage } = shared.tab();
    storage.setItem(`xtream-error-ux:flood:${KEY}`, JSON.stringify({ v: 1, failures: 4, streak: 0, tickets: 0, slots: [] }));
    const guard = createFloodGuard({ now: fakeClock().now, store: createWebStorageStore({ storage, locks: null }) });
    assert.equal((await guard.check(KEY)).failures, 4);
    await guard.record(KEY, 'failure');
    assert.equal((await guard.check(KEY)).failures, 5);
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

  it('keeps, across tabs each writing its own entry, exactly the state one shared memory store keeps', async () => {
    const outcomes = ['AUTH_FAILED', '403', 'USER_EXPIRED', '429', 'PANEL_BLOCK', 'NETWORK_ERROR', '500', 'success', 'neutral', 'failure'] as const;
    const outcomeOf = (name: (typeof outcomes)[number]): FloodOutcome =>
      name === 'success' || name === 'neutral' || name === 'failure' ? name : diagnosis(name);
    const operation = fc.oneof(
      fc.record({ op: fc.constant('begin' as const), tab: fc.nat(2) }),
      fc.record({ op: fc.constant('settle' as const), tab: fc.nat(2), index: fc.nat(), outcome: fc.constantFrom(...outcomes) }),
      fc.record({ op: fc.constant('allowOnce' as const), tab: fc.nat(2) }),
      fc.record({ op: fc.constant('reset' as const), tab: fc.nat(2), hardStopOnly: fc.boolean() }),
      fc.record({ op: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 2 * 3_600_000 })) }),
    );
    const facts = ({ key, allowed, level, failures, attemptsLeft, retryAt, reason, ticket, inFlight, consequence, diagnosis: last }: FloodStatus) =>
      ({ key, allowed, level, failures, attemptsLeft, retryAt, reason, ticket, inFlight, consequence, code: last?.code });
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 20, maxLength: 150 }), fc.boolean(), async (operations, withLocks) => {
        const clock = fakeClock();
        const memory = createMemoryStore();
        const shared = sharedStorage();
        const locks = withLocks ? fakeLocks() : null;
        const worlds = [
          [0, 1, 2].map(() => createFloodGuard({ now: clock.now, random: () => 0.5, store: memory })),
          [0, 1, 2].map(() => createFloodGuard({ now: clock.now, random: () => 0.5, store: createWebStorageStore({ storage: shared.tab().storage, locks }) })),
        ];
        const pending: string[][][] = worlds.map(() => [[], [], []]);
        for (const step of operations) {
          if (step.op === 'advance') {
            clock.advance(step.ms);
            continue;
          }
          const answers: unknown[] = [];
          for (const [world, tabs] of worlds.entries()) {
            const guard = tabs[step.tab]!;
            const slots = pending[world]![step.tab]!;
            if (step.op === 'begin') {
              const ticket = await guard.begin(KEY);
              if (ticket.slot) slots.push(ticket.slot);
              answers.push(facts(ticket));
            } else if (step.op === 'settle') {
              const slot = slots.length ? slots.splice(step.index % slots.length, 1)[0] : undefined;
              answers.push(facts(await guard.record(KEY, outcomeOf(step.outcome), slot)));
            } else if (step.op === 'allowOnce') answers.push(facts(await guard.allowOnce(KEY)));
            else answers.push(facts(await guard.reset(KEY, { hardStopOnly: step.hardStopOnly })));
            answers.push(...(await Promise.all(tabs.map((tab) => tab.check(KEY)))).map(facts));
          }
          assert.deepEqual(answers.slice(answers.length / 2), answers.slice(0, answers.length / 2), JSON.stringify(step));
        }
      }),
      { numRuns: 150 },
    );
  });
});

/**
 * Two browsing contexts of one portal (two same-origin frames, each with its own module instances and its own
 * guard on createWebStorageStore over the one localStorage, Web Locks as the platform has them) working one
 * panel's key at once.
 */
import { classify } from '../../core/classify.js';
import { defaultFloodThresholds, type FloodGuard, type FloodOutcome } from '../../core/flood-guard.js';
import { afterEach, assert, cleanup, describe, fixture, it, waitFor } from './harness.js';

const KEY = 'panel.tabs.test';
const { block } = defaultFloodThresholds;

interface FloodTab {
  guard(options: { prefix: string; now: () => number }): FloodGuard;
  locks: boolean;
}

let prefixes = 0;

/** Two frames, each a tab with its own guard; one clock for both (the test moves it). */
async function twoTabs(): Promise<{ tabs: FloodGuard[]; clock: { time: number }; prefix: string; locks: boolean[] }> {
  const prefix = `flood-tabs-test-${Date.now()}-${++prefixes}:`;
  const frames = [0, 1].map(() => fixture<HTMLIFrameElement>('<iframe src="/test/browser/fixtures/flood-tab.html"></iframe>'));
  const loaded = await Promise.all(frames.map((frame) => waitFor(() => (frame.contentWindow as unknown as { floodTab?: FloodTab } | null)?.floodTab, 'the tab loads its guard', 15_000)));
  const clock = { time: Date.UTC(2025, 0, 15, 12) };
  const now = () => clock.time;
  return { tabs: loaded.map((tab) => tab.guard({ prefix, now })), clock, prefix, locks: loaded.map((tab) => tab.locks) };
}

/** A few macrotasks or microtasks, at random: requests in flight finish in any order. */
const jitter = () =>
  Math.random() < 0.5 ? Promise.resolve() : new Promise<void>((resolve) => setTimeout(resolve, Math.floor(Math.random() * 3)));

function clear(prefix: string): void {
  for (let index = localStorage.length - 1; index >= 0; index--) {
    const name = localStorage.key(index);
    if (name?.startsWith(prefix)) localStorage.removeItem(name);
  }
}

describe('flood guard shared by two tabs (createWebStorageStore on localStorage)', () => {
  let used: string | undefined;
  afterEach(() => {
    cleanup();
    if (used) clear(used);
  });

  it('runs in frames that have Web Locks, as portals do', async () => {
    const { locks, prefix } = await twoTabs();
    used = prefix;
    assert.deepEqual(locks, [true, true]);
  });

  it('counts every failure both tabs record at once: 2 × 150 concurrent records count 300', async () => {
    const { tabs, prefix } = await twoTabs();
    used = prefix;
    await Promise.all(
      Array.from({ length: 300 }, async (_, index) => {
        await jitter();
        await tabs[index % 2]!.record(KEY, 'failure');
      }),
    );
    assert.equal((await tabs[0]!.check(KEY)).failures, 300);
    assert.equal((await tabs[1]!.check(KEY)).failures, 300);
  });

  it('keeps one exact set of slots: what both tabs begin and settle at once', async () => {
    const { tabs, prefix } = await twoTabs();
    used = prefix;
    const tickets = await Promise.all(Array.from({ length: 8 }, (_, index) => tabs[index % 2]!.begin(KEY)));
    assert.equal(tickets.filter((ticket) => ticket.allowed).length, 8, '8 of the 9 failures left');
    assert.equal((await tabs[0]!.check(KEY)).inFlight, 8);
    assert.equal((await tabs[1]!.check(KEY)).inFlight, 8);
    const more = await Promise.all([tabs[0]!.begin(KEY), tabs[1]!.begin(KEY), tabs[0]!.begin(KEY)]);
    assert.equal(more.filter((ticket) => ticket.allowed).length, 1, 'one more: every failure left is on its way');
    await Promise.all(
      [...tickets, ...more].map(async (ticket, index) => {
        if (!ticket.allowed) return;
        await jitter();
        await tabs[index % 2]!.record(KEY, 'neutral', ticket.slot);
      }),
    );
    assert.equal((await tabs[0]!.check(KEY)).inFlight, 0);
    assert.equal((await tabs[1]!.check(KEY)).inFlight, 0);
  });

  it('never lets the two tabs together make the failure that makes the panel block', async () => {
    const { tabs, clock, prefix } = await twoTabs();
    used = prefix;
    // The panel: every request with the wrong password is a failure it counts.
    let counted = 0;
    let held = 0;
    const player = async (guard: FloodGuard) => {
      await jitter();
      const ticket = await guard.begin(KEY);
      if (!ticket.allowed) {
        held++;
        return;
      }
      counted++;
      await jitter();
      await guard.record(KEY, classify({ status: 401, url: `http://${KEY}/player_api.php` }) as FloodOutcome, ticket.slot);
    };
    for (let round = 0; round < 40; round++) {
      // Each tab's player retries four requests at once, as soon as it is let.
      await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((index) => player(tabs[index % 2]!)));
      const status = await tabs[round % 2]!.check(KEY);
      if (status.reason === 'threshold') break;
      if (status.retryAt !== undefined) clock.time = Math.max(clock.time, status.retryAt);
    }
    const status = await tabs[0]!.check(KEY);
    assert.equal(counted, block - 1, 'the panel saw the failures up to the pause, and not one more');
    assert.equal(status.failures, block - 1);
    assert.equal(status.reason, 'threshold');
    assert.equal((await tabs[1]!.check(KEY)).failures, block - 1);
    assert.ok(held > 0);
  });

  it('shows a success in one tab to the other: the count every tab made starts again', async () => {
    const { tabs, clock, prefix } = await twoTabs();
    used = prefix;
    for (let index = 0; index < 6; index++) await tabs[index % 2]!.record(KEY, 'failure');
    const seen: number[] = [];
    const unsubscribe = tabs[1]!.subscribe(KEY, (status) => seen.push(status.failures));
    assert.equal((await tabs[1]!.check(KEY)).level, 'warning');
    clock.time = (await tabs[0]!.check(KEY)).retryAt!;
    const ticket = await tabs[0]!.begin(KEY);
    await tabs[0]!.record(KEY, 'success', ticket.slot);
    const status = await tabs[1]!.check(KEY);
    assert.equal(status.failures, 0);
    assert.equal(status.level, 'ok');
    await waitFor(() => seen.includes(0), 'the other tab is told (storage event)');
    unsubscribe();
  });

  it('shows a reset in one tab to the other, and a ticket is used exactly once by either', async () => {
    const { tabs, clock, prefix } = await twoTabs();
    used = prefix;
    await tabs[1]!.record(KEY, classify('USER_EXPIRED') as FloodOutcome);
    clock.time += 60_000; // past the wait after it: what is left is the hard stop
    assert.equal((await tabs[0]!.check(KEY)).reason, 'hard-stop');
    await tabs[0]!.allowOnce(KEY);
    const tickets = await Promise.all(Array.from({ length: 6 }, (_, index) => tabs[index % 2]!.begin(KEY)));
    assert.equal(tickets.filter((ticket) => ticket.allowed).length, 1, 'one ticket, one request');
    await tabs[0]!.reset(KEY);
    const status = await tabs[1]!.check(KEY);
    assert.equal(status.reason, undefined);
    assert.equal(status.allowed, true);
    assert.equal(status.failures, 1, 'a reset keeps the count: the panel keeps its own');
  });
});

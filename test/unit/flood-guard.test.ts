import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFloodGuard, FloodBlockedError, FLOOD_SLOT_TTL_MS, type FloodGuard } from '../../core/flood-guard.js';
import { createMemoryStore } from '../../core/stores/memory.js';
import { diagnosis, fakeClock } from './flood-guard.helpers.js';

const KEY = 'panel.test';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function setup(options: Parameters<typeof createFloodGuard>[0] = {}) {
  const clock = fakeClock();
  const guard = createFloodGuard({ now: clock.now, random: () => 0.5, ...options });
  return { clock, guard };
}

/** Sends `count` failures the way a well-behaved client does: begin, wait when told, record. */
async function fail(guard: FloodGuard, clock: ReturnType<typeof fakeClock>, count: number, code = 'AUTH_FAILED') {
  for (let index = 0; index < count; index++) {
    const ticket = await guard.begin(KEY);
    assert.ok(ticket.allowed, `failure ${index + 1} should be allowed (${ticket.reason})`);
    await guard.record(KEY, diagnosis(code), ticket.slot);
    const after = await guard.check(KEY);
    if (!after.allowed && after.reason === 'backoff' && after.retryAt !== undefined) clock.advanceTo(after.retryAt);
  }
}

describe('flood guard levels', () => {
  it('starts ok and allows requests', async () => {
    const { guard } = setup();
    const status = await guard.check(KEY);
    assert.deepEqual([status.allowed, status.level, status.failures, status.attemptsLeft], [true, 'ok', 0, 9]);
  });

  it('warns from the fifth failure with the attempts left before the pause', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 5);
    const status = await guard.check(KEY);
    assert.equal(status.level, 'warning');
    assert.equal(status.failures, 5);
    assert.equal(status.attemptsLeft, 4);
  });

  it('pauses one failure short of the panel block, until the quiet hour has passed', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 9);
    const status = await guard.check(KEY);
    assert.equal(status.allowed, false);
    assert.equal(status.level, 'blocked');
    assert.equal(status.reason, 'threshold');
    assert.deepEqual(status.consequence, { failures: 10, blockMs: 5 * MINUTE });
    assert.ok(status.retryAt! >= clock.now() + HOUR - 5_000);
    clock.advanceTo(status.retryAt!);
    const later = await guard.check(KEY);
    assert.deepEqual([later.allowed, later.level, later.failures], [true, 'ok', 0]);
  });

  it('lets a person try once past the pause, and the next begin consumes the ticket', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 9);
    clock.advance(60_000);
    const granted = await guard.allowOnce(KEY);
    assert.equal(granted.allowed, true);
    assert.equal(granted.ticket, true);
    const first = await guard.begin(KEY);
    assert.equal(first.allowed, true);
    const second = await guard.begin(KEY);
    assert.equal(second.allowed, false);
    assert.equal(second.reason, 'threshold');
  });

  it('a ticket goes past the backoff after the ninth failure, not past its 2.5-second minimum gap', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 9);
    const paused = await guard.check(KEY);
    assert.equal(paused.reason, 'threshold');
    await guard.allowOnce(KEY);
    const soon = await guard.check(KEY);
    assert.deepEqual([soon.allowed, soon.reason], [false, 'backoff'], 'right after a failure a strict panel would chain it');
    assert.equal(soon.retryAt! - clock.now(), 2_500, 'the minimum gap, not the 60 s backoff an automatic retry waits');
    clock.advanceTo(soon.retryAt!);
    const ready = await guard.begin(KEY);
    assert.equal(ready.allowed, true, 'the person’s one request goes once the gap has passed');
    const next = await guard.begin(KEY);
    assert.equal(next.allowed, false);
  });

  it('mirrors the panel block at the tenth failure, resumes up to 19, and pauses again', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 9);
    await guard.allowOnce(KEY);
    const ticket = await guard.begin(KEY);
    const blocked = await guard.record(KEY, diagnosis('AUTH_FAILED'), ticket.slot);
    assert.equal(blocked.reason, 'panel-block');
    assert.equal(blocked.level, 'blocked');
    assert.ok(blocked.retryAt! - clock.now() >= 5 * MINUTE && blocked.retryAt! - clock.now() <= 5 * MINUTE + 5_000);
    clock.advanceTo(blocked.retryAt!);
    const resumed = await guard.check(KEY);
    assert.deepEqual([resumed.allowed, resumed.failures, resumed.attemptsLeft], [true, 10, 9]);
    await fail(guard, clock, 9);
    const paused = await guard.check(KEY);
    assert.deepEqual([paused.allowed, paused.reason, paused.failures], [false, 'threshold', 19]);
    assert.deepEqual(paused.consequence, { failures: 20, blockMs: HOUR });
  });

  it('blocks for an hour at the twentieth failure, each further failure restarting it', async () => {
    const { guard, clock } = setup();
    for (let index = 0; index < 20; index++) await guard.record(KEY, 'failure');
    const first = await guard.check(KEY);
    assert.equal(first.reason, 'panel-block');
    assert.ok(first.retryAt! - clock.now() >= HOUR);
    clock.advance(30 * MINUTE);
    await guard.record(KEY, 'failure');
    const restarted = await guard.check(KEY);
    assert.ok(restarted.retryAt! - clock.now() >= HOUR);
  });

  it('counts every record, even during a block', async () => {
    const { guard } = setup();
    for (let index = 0; index < 12; index++) await guard.record(KEY, diagnosis('401'));
    assert.equal((await guard.check(KEY)).failures, 12);
  });

  it('forgets the count after a quiet hour, but not while a block is in force', async () => {
    const { guard, clock } = setup({ thresholds: { extendedMs: 2 * HOUR } });
    for (let index = 0; index < 20; index++) await guard.record(KEY, 'failure');
    clock.advance(HOUR + 5_000);
    assert.equal((await guard.check(KEY)).failures, 20);
    clock.advance(HOUR);
    assert.equal((await guard.check(KEY)).failures, 0);
  });

  it('resets the count on a successful authentication', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 7);
    await guard.record(KEY, 'success');
    const status = await guard.check(KEY);
    assert.deepEqual([status.failures, status.level, status.allowed], [0, 'ok', true]);
  });

  it('does not count network errors, 5xx and 416, but backs off after them', async () => {
    const { guard, clock } = setup();
    for (const code of ['NETWORK_ERROR', 'TIMEOUT', '500', '503', '416']) {
      const status = await guard.record(KEY, diagnosis(code));
      assert.equal(status.failures, 0, code);
      assert.equal(status.allowed, false, code);
      assert.equal(status.reason, 'backoff', code);
      clock.advanceTo(status.retryAt!);
    }
  });

  it('waits at least 2.5 s after any failure and never more than 60 s of backoff', async () => {
    const { guard, clock } = setup({ random: () => 0.999 });
    for (let index = 0; index < 8; index++) {
      const status = await guard.record(KEY, diagnosis('500'));
      const wait = status.retryAt! - clock.now();
      assert.ok(wait >= 2_500 && wait <= 60_000, `wait ${wait}`);
      clock.advanceTo(status.retryAt!);
    }
  });

  it('honours Retry-After up to an hour', async () => {
    const { guard, clock } = setup();
    const short = await guard.record(KEY, diagnosis('429', { retryAfterMs: 90_000 }));
    assert.equal(short.reason, 'retry-after');
    assert.equal(short.retryAt, clock.now() + 90_000);
    const long = await guard.record('other.test', diagnosis('429', { retryAfterMs: 5 * HOUR }));
    assert.equal(long.retryAt, clock.now() + HOUR);
  });

  it('mirrors an empty-body 403 as a panel block, not a hard stop', async () => {
    const { guard, clock } = setup();
    const status = await guard.record(KEY, diagnosis('PANEL_BLOCK'));
    assert.equal(status.reason, 'panel-block');
    assert.ok(status.retryAt! - clock.now() >= 5 * MINUTE);
    clock.advanceTo(status.retryAt!);
    assert.equal((await guard.check(KEY)).allowed, true);
  });

  it('mirrors an empty-body 403 past the extended threshold as the one-hour block', async () => {
    const { guard, clock } = setup();
    for (let index = 0; index < 20; index++) await guard.record(KEY, 'failure');
    clock.advance(2 * HOUR);
    await guard.record(KEY, 'success');
    for (let index = 0; index < 19; index++) await guard.record(KEY, 'failure');
    const status = await guard.record(KEY, diagnosis('PANEL_BLOCK'));
    assert.ok(status.retryAt! - clock.now() >= HOUR);
  });

  for (const code of ['USER_EXPIRED', 'USER_BAN', 'USER_DISABLED', 'IP_BAN', 'COUNTRY_DISALLOW', 'ISP_LOCK_FAILED', 'CON_SVP']) {
    it(`stops for good on ${code} until reset, keeping the count`, async () => {
      const { guard, clock } = setup();
      const status = await guard.record(KEY, diagnosis(code));
      assert.deepEqual([status.allowed, status.reason, status.retryAt, status.level], [false, 'hard-stop', undefined, 'blocked']);
      clock.advance(48 * HOUR);
      assert.equal((await guard.check(KEY)).reason, 'hard-stop');
      const reset = await guard.reset(KEY);
      assert.equal(reset.allowed, true);
      assert.equal(reset.diagnosis?.code, code);
    });
  }

  it('keeps the count through reset, since the panel keeps its own', async () => {
    const { guard } = setup();
    for (let index = 0; index < 3; index++) await guard.record(KEY, 'failure');
    await guard.record(KEY, diagnosis('USER_EXPIRED'));
    const status = await guard.reset(KEY);
    assert.equal(status.failures, 4);
    assert.equal(status.allowed, true);
  });

  it('lifts a threshold pause on reset for one request', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 9);
    const status = await guard.reset(KEY);
    assert.equal(status.allowed, true);
    assert.equal((await guard.begin(KEY)).allowed, true);
    assert.equal((await guard.begin(KEY)).allowed, false);
  });

  it('never holds back Stream API (billing) calls or the portal pages', async () => {
    const { guard } = setup();
    await guard.record(KEY, diagnosis('USER_EXPIRED'));
    assert.equal((await guard.begin(KEY)).allowed, false);
    assert.equal((await guard.begin(KEY, { kind: 'stream-api' })).allowed, true);
    assert.equal((await guard.begin(KEY, { kind: 'other' })).allowed, true);
  });

  it('does not count Stream API codes', async () => {
    const { guard } = setup();
    const status = await guard.record(KEY, diagnosis('INVOICE_FINALISED', { endpointKind: 'stream-api' }));
    assert.equal(status.failures, 0);
    assert.equal(status.allowed, true);
  });

  it('keeps no more requests in flight than failures left before the pause', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 8);
    const tickets = await Promise.all([1, 2, 3, 4].map(() => guard.begin(KEY)));
    assert.equal(tickets.filter((ticket) => ticket.allowed).length, 1);
  });

  it('lets an unsettled slot lapse after 30 s', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 8);
    assert.equal((await guard.begin(KEY)).allowed, true);
    const waiting = await guard.begin(KEY);
    assert.equal(waiting.allowed, false);
    assert.equal(waiting.retryAt, clock.now() + FLOOD_SLOT_TTL_MS);
    clock.advance(FLOOD_SLOT_TTL_MS);
    assert.equal((await guard.begin(KEY)).allowed, true);
  });

  it('settles the slot a record names', async () => {
    const { guard, clock } = setup();
    await fail(guard, clock, 7);
    const first = await guard.begin(KEY);
    const second = await guard.begin(KEY);
    assert.equal((await guard.check(KEY)).inFlight, 2);
    await guard.record(KEY, 'neutral', second.slot);
    const status = await guard.check(KEY);
    assert.equal(status.inFlight, 1);
    await guard.record(KEY, 'neutral', first.slot);
    assert.equal((await guard.check(KEY)).inFlight, 0);
  });

  it('keeps diagnoses as facts only, without server text', async () => {
    const { guard } = setup();
    const status = await guard.record(KEY, diagnosis('AUTH_FAILED', { serverMessage: 'bad login for alice', details: 'password hunter2' }));
    assert.equal(status.diagnosis?.code, 'AUTH_FAILED');
    assert.equal(status.diagnosis?.serverMessage, undefined);
    assert.equal(status.diagnosis?.details, undefined);
  });

  it('tells subscribers about every change of their key', async () => {
    const { guard } = setup();
    const seen: number[] = [];
    const stop = guard.subscribe(KEY, (status) => seen.push(status.failures));
    await guard.record(KEY, 'failure');
    await guard.record('elsewhere.test', 'failure');
    await guard.record(KEY, 'failure');
    stop();
    await guard.record(KEY, 'failure');
    assert.deepEqual(seen, [1, 2]);
  });

  it('tells subscribers about the slots begin reserves and record settles', async () => {
    const { guard } = setup();
    const seen: Array<[number, number]> = [];
    const stop = guard.subscribe(KEY, (status) => seen.push([status.inFlight, status.failures]));
    const ticket = await guard.begin(KEY);
    await guard.record(KEY, 'failure', ticket.slot);
    stop();
    assert.deepEqual(seen, [
      [1, 0],
      [0, 1],
    ]);
  });

  it('lists every key in the snapshot', async () => {
    const { guard } = setup();
    await guard.record('a.test', 'failure');
    await guard.record('b.test', diagnosis('USER_BAN'));
    const snapshot = await guard.snapshot();
    assert.deepEqual(Object.keys(snapshot).sort(), ['a.test', 'b.test']);
    assert.equal(snapshot['b.test']!.reason, 'hard-stop');
  });

  it('groups a provider\'s hosts into one key by configuration', () => {
    const { guard } = setup({ groups: { 'cdn1.panel.test': 'panel.test', 'cdn2.panel.test': 'panel.test' } });
    assert.equal(guard.keyFor('http://cdn1.panel.test:8080/live/u/p/1.ts'), 'panel.test');
    assert.equal(guard.keyFor('http://Panel.Test/player_api.php'), 'panel.test');
    assert.equal(guard.keyFor('http://other.test/'), 'other.test');
    // Asked again (remembered per URL), and a host named like an Object method is its own key.
    assert.equal(guard.keyFor('http://cdn1.panel.test:8080/live/u/p/1.ts'), 'panel.test');
    assert.equal(guard.keyFor(new URL('http://cdn2.panel.test/')), 'panel.test');
    assert.equal(guard.keyFor('http://constructor/'), 'constructor');
    assert.equal(guard.keyFor('http://tostring/'), 'tostring');
  });

  it('gives distinct slots to two guards sharing a store in the same millisecond', async () => {
    const clock = fakeClock();
    const store = createMemoryStore();
    const first = createFloodGuard({ now: clock.now, random: () => 0, store });
    const second = createFloodGuard({ now: clock.now, random: () => 0, store });
    const a = await first.begin(KEY);
    const b = await second.begin(KEY);
    assert.notEqual(a.slot, b.slot);
    assert.equal((await first.check(KEY)).inFlight, 2);
    await second.record(KEY, 'neutral', b.slot);
    assert.equal((await first.check(KEY)).inFlight, 1);
    await first.record(KEY, 'neutral', a.slot);
    assert.equal((await second.check(KEY)).inFlight, 0);
  });

  it('makes a FloodBlockedError from a status', async () => {
    const { guard } = setup();
    const status = await guard.record(KEY, diagnosis('USER_EXPIRED'));
    const error = new FloodBlockedError(status);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'FloodBlockedError');
    assert.equal(error.reason, 'hard-stop');
    assert.equal(error.retryAt, undefined);
    assert.equal(error.diagnosis?.code, 'USER_EXPIRED');
  });
});

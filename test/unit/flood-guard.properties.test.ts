import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createFloodGuard, defaultFloodThresholds, FLOOD_SLOT_TTL_MS, type FloodOutcome } from '../../core/flood-guard.js';
import { diagnosis, fakeClock } from './flood-guard.helpers.js';

const KEY = 'panel.test';

/** What a settled request turned out to be. */
const outcomes = ['AUTH_FAILED', '401', '403', 'USER_ALREADY_CONNECTED', '429', 'PANEL_BLOCK', 'NETWORK_ERROR', '500', '416', 'success', 'neutral'] as const;
type OutcomeName = (typeof outcomes)[number];

function outcomeOf(name: OutcomeName, retryAfterMs?: number): FloodOutcome {
  if (name === 'success' || name === 'neutral') return name;
  return diagnosis(name, retryAfterMs === undefined ? {} : { retryAfterMs });
}

const operation = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('begin' as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('settle' as const),
      index: fc.nat(),
      outcome: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('AUTH_FAILED', '401', '403', 'PANEL_BLOCK') }, { weight: 2, arbitrary: fc.constantFrom(...outcomes) }),
      retryAfterMs: fc.option(fc.integer({ min: 1, max: 3 * 60 * 60_000 }), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      ms: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 70_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 * 60 * 60_000 }) }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('wait' as const) }) },
);

/** A deterministic jitter source from a seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const { block, extended } = defaultFloodThresholds;
const counted = new Set<OutcomeName>(['AUTH_FAILED', '401', '403', 'USER_ALREADY_CONNECTED', '429', 'PANEL_BLOCK']);

describe('flood guard properties', () => {
  it('never lets automatic requests make the failure that crosses a blocking threshold', async () => {
    let highest = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 50, maxLength: 400 }), fc.integer(), async (operations, seed) => {
        const clock = fakeClock();
        const guard = createFloodGuard({ now: clock.now, random: seeded(seed) });
        const pending: Array<{ slot: string; at: number }> = [];
        for (const step of operations) {
          if (step.op === 'begin') {
            const before = await guard.check(KEY);
            const ticket = await guard.begin(KEY);
            // No automatic request at the pause points or while blocked.
            assert.equal(ticket.allowed, before.allowed);
            if (before.level === 'blocked') assert.equal(ticket.allowed, false);
            if (ticket.allowed) {
              // In flight never exceeds the failures left before the pause.
              assert.ok(ticket.inFlight <= before.attemptsLeft, `${ticket.inFlight} in flight, ${before.attemptsLeft} left`);
              pending.push({ slot: ticket.slot!, at: clock.now() });
            }
          } else if (step.op === 'settle') {
            if (pending.length === 0) continue;
            const [request] = pending.splice(step.index % pending.length, 1);
            const before = await guard.check(KEY);
            const after = await guard.record(KEY, outcomeOf(step.outcome, step.retryAfterMs), request!.slot);
            // The count grows by exactly one per counted failure, returns to zero on a success.
            const expected = step.outcome === 'success' ? 0 : before.failures + (counted.has(step.outcome) ? 1 : 0);
            assert.equal(after.failures, expected);
            assert.ok(after.failures < block && after.failures < extended, `reached ${after.failures}`);
          } else {
            // Time passes — but a request in flight is answered before its slot lapses.
            const oldest = pending.length ? Math.min(...pending.map((request) => request.at)) : undefined;
            const limit = oldest === undefined ? Infinity : oldest + FLOOD_SLOT_TTL_MS - 1 - clock.now();
            if (step.op === 'advance') clock.advance(Math.max(0, Math.min(step.ms, limit)));
            else {
              // The client waits out what the guard asks, up to a few minutes (a panel block, not the quiet hour).
              const status = await guard.check(KEY);
              if (status.retryAt !== undefined && status.retryAt - clock.now() <= Math.min(limit, 6 * 60_000)) clock.advanceTo(status.retryAt);
            }
          }
          highest = Math.max(highest, (await guard.check(KEY)).failures);
        }
      }),
      {
        numRuns: 200,
        // A client that retries a wrong password as fast as the guard lets it, alone and four at a time.
        examples: [
          [Array.from({ length: 30 }, () => [{ op: 'begin' as const }, { op: 'settle' as const, index: 0, outcome: 'AUTH_FAILED' as const, retryAfterMs: undefined }, { op: 'wait' as const }]).flat(), 1],
          [
            Array.from({ length: 10 }, () => [
              ...Array.from({ length: 4 }, () => ({ op: 'begin' as const })),
              ...Array.from({ length: 4 }, () => ({ op: 'settle' as const, index: 0, outcome: '401' as const, retryAfterMs: undefined })),
              { op: 'wait' as const },
            ]).flat(),
            2,
          ],
        ],
      },
    );
    // The runs must have reached the pause point, or the property proves nothing.
    assert.equal(highest, block - 1);
  });

  it('waits at least 2.5 s and at most 60 s after a failure (Retry-After: up to an hour)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('500', 'NETWORK_ERROR', 'AUTH_FAILED', '403'), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), { minLength: 1, maxLength: 40 }),
        fc.option(fc.integer({ min: 1, max: 10 * 60 * 60_000 }), { nil: undefined }),
        async (failures, retryAfterMs) => {
          const clock = fakeClock();
          let jitter = 0;
          const guard = createFloodGuard({ now: clock.now, random: () => jitter, margin: 100, thresholds: { block: 1_000, extended: 2_000 } });
          for (const [code, value] of failures) {
            jitter = value;
            const status = await guard.record(KEY, diagnosis(code));
            assert.equal(status.reason, 'backoff');
            const wait = status.retryAt! - clock.now();
            assert.ok(wait >= 2_500 && wait <= 60_000, `wait ${wait}`);
            clock.advanceTo(status.retryAt!);
          }
          if (retryAfterMs !== undefined) {
            const status = await guard.record(KEY, diagnosis('429', { retryAfterMs }));
            assert.equal(status.reason, 'retry-after');
            assert.equal(status.retryAt! - clock.now(), Math.min(retryAfterMs, 60 * 60_000));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts exactly the failures recorded, however they interleave', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...outcomes), { maxLength: 60 }), async (names) => {
        const clock = fakeClock();
        const guard = createFloodGuard({ now: clock.now });
        await Promise.all(names.filter((name) => name !== 'success').map((name) => guard.record(KEY, outcomeOf(name))));
        const expected = names.filter((name) => counted.has(name)).length;
        assert.equal((await guard.check(KEY)).failures, expected);
      }),
    );
  });
});

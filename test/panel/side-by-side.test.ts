/**
 * The guard's promise, judged by a real panel: a client looping on a wrong password through guardedFetch
 * is never banned, while the same naive loop with plain fetch is — over 24 simulated hours, in the panel's
 * seed and strict flood modes and in its production style (XC_VM: both counters at once, bruteforce, MAGSCAN),
 * with the panel and the guard sharing one fake clock.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createFloodGuard, FloodBlockedError, type FloodGuard } from '../../core/flood-guard.js';
import { guardedFetch } from '../../core/guarded-fetch.js';
import { startPanel, type Panel } from '../../demo/panel/index.js';
import type { AnswerStyle, FloodMode } from '../../demo/panel/types.js';

const DAY = 24 * 60 * 60_000;
const panels: Panel[] = [];
after(() => Promise.all(panels.map((panel) => panel.stop())));

function fakeClock(start = Date.UTC(2025, 0, 1)) {
  let time = start;
  return { start, now: () => time, advance: (ms: number) => (time += ms), advanceTo: (at: number) => (time = Math.max(time, at)) };
}

async function panelFor(flood: FloodMode | readonly FloodMode[], style: AnswerStyle, clock: ReturnType<typeof fakeClock>) {
  const panel = await startPanel({ port: 0, style, flood, now: clock.now, trustForwardedFor: true });
  panels.push(panel);
  return panel;
}

const wrongLogin = (panel: Panel) => `${panel.url}/player_api.php?username=demo&password=wrong-password`;
const banned = (panel: Panel, ip: string) => panel.banList().some((entry) => entry.ip === ip);

/**
 * Runs `workers` client loops through guardedFetch until a simulated day has passed. A loop that is held
 * back waits as a real client would: until the requests already in flight have been answered (they take
 * milliseconds, not minutes), then until the guard's retryAt. Returns whether the panel ever banned the IP.
 */
async function guardedLoop(panel: Panel, clock: ReturnType<typeof fakeClock>, ip: string, workers: number) {
  const guard: FloodGuard = createFloodGuard({ now: clock.now });
  let inFlight = 0;
  let requests = 0;
  let everBanned = false;
  const countingFetch: typeof fetch = async (input, init) => {
    inFlight++;
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  const answered = async () => {
    while (inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
  };
  const end = clock.start + DAY;
  const worker = async () => {
    while (clock.now() < end && !everBanned) {
      try {
        const response = await guardedFetch(wrongLogin(panel), { headers: { 'x-forwarded-for': ip } }, { guard, fetch: countingFetch });
        await response.arrayBuffer();
        requests++;
      } catch (error) {
        if (!(error instanceof FloodBlockedError)) throw error;
        assert.notEqual(error.reason, 'hard-stop', 'a wrong password is not a hard stop');
        await answered();
        const status = await guard.check(guard.keyFor(panel.url));
        if (!status.allowed) clock.advanceTo(status.retryAt ?? end);
      }
      if (banned(panel, ip)) everBanned = true;
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return { everBanned, requests, log: panel.log() };
}

/** The same loop with plain fetch: a request every `gapMs`, no guard. Stops once the panel bans the IP. */
async function naiveLoop(panel: Panel, clock: ReturnType<typeof fakeClock>, ip: string, gapMs: number) {
  const end = clock.start + DAY;
  let requests = 0;
  while (clock.now() < end) {
    const response = await fetch(wrongLogin(panel), { headers: { 'x-forwarded-for': ip } });
    await response.arrayBuffer();
    requests++;
    if (banned(panel, ip)) return { everBanned: true, requests };
    clock.advance(gapMs);
  }
  return { everBanned: false, requests };
}

const MODES: ReadonlyArray<readonly [FloodMode | readonly FloodMode[], AnswerStyle]> = [
  ['seed', 'classic'],
  ['seed', 'masked'],
  ['strict', 'classic'],
  ['strict', 'masked'],
  // The production style, with the panel's own chain and the seed's thresholds both counting: both must hold.
  [['seed', 'strict'], 'xcvm'],
];

for (const [flood, style] of MODES) {
  {
    const seedCounts = flood === 'seed' || (Array.isArray(flood) && flood.includes('seed'));
    describe(`side by side against the panel (${String(flood)} flood mode, ${style} answers)`, () => {
      it('gets a naive plain-fetch loop on a wrong password banned', async () => {
        const clock = fakeClock();
        const panel = await panelFor(flood, style, clock);
        const naive = await naiveLoop(panel, clock, '203.0.113.1', 1_000);
        assert.equal(naive.everBanned, true);
        assert.ok(naive.requests <= (seedCounts ? 10 : 40), `${naive.requests} requests`);
      });

      it('keeps a sequential guardedFetch loop out of the ban list for 24 hours', async () => {
        const clock = fakeClock();
        const panel = await panelFor(flood, style, clock);
        const guarded = await guardedLoop(panel, clock, '203.0.113.2', 1);
        assert.equal(guarded.everBanned, false);
        assert.ok(clock.now() >= clock.start + DAY);
        assert.ok(guarded.requests >= 24 * 8, `only ${guarded.requests} requests in a day`);
        assert.equal(guarded.log.filter((entry) => entry.code === 'FLOOD_BLOCK').length, 0);
      });

      it('keeps four parallel guardedFetch loops out of the ban list for 24 hours', async () => {
        const clock = fakeClock();
        const panel = await panelFor(flood, style, clock);
        const guarded = await guardedLoop(panel, clock, '203.0.113.3', 4);
        assert.equal(guarded.everBanned, false);
        assert.ok(clock.now() >= clock.start + DAY);
        assert.ok(guarded.requests >= 24 * 8, `only ${guarded.requests} requests in a day`);
        assert.equal(guarded.log.filter((entry) => entry.code === 'FLOOD_BLOCK').length, 0);
      });
    });
  }
}

describe('side by side against the production-style panel: bruteforce and MAGSCAN', () => {
  const distinctUsers = (panel: Panel, index: number) => `${panel.url}/player_api.php?username=guess${index}&password=wrong`;

  it('a naive loop over distinct usernames is banned; the guarded one never sends the one that would ban', async () => {
    const clock = fakeClock();
    const panel = await panelFor('strict', 'xcvm', clock);
    let naiveBannedAt = 0;
    for (let index = 1; index <= 12 && !naiveBannedAt; index++) {
      await (await fetch(distinctUsers(panel, index), { headers: { 'x-forwarded-for': '203.0.113.4' } })).arrayBuffer();
      if (banned(panel, '203.0.113.4')) naiveBannedAt = index;
      clock.advance(5_000);
    }
    assert.ok(naiveBannedAt > 0 && naiveBannedAt <= 10, `naive loop banned after ${naiveBannedAt} usernames`);

    // A guard whose own count allows them all (a quiet hour between…): only bruteforce protection is left to hold.
    const guard = createFloodGuard({ now: clock.now, thresholds: { warn: 50, block: 100, extended: 200 } });
    let sent = 0;
    for (let index = 1; index <= 12; index++) {
      try {
        const response = await guardedFetch(distinctUsers(panel, index), { headers: { 'x-forwarded-for': '203.0.113.5' } }, { guard });
        await response.arrayBuffer();
        sent++;
      } catch (error) {
        if (!(error instanceof FloodBlockedError)) throw error;
        assert.equal(error.reason, 'threshold');
      }
      const status = await guard.check(guard.keyFor(panel.url));
      if (status.reason === 'backoff' && status.retryAt !== undefined) clock.advanceTo(status.retryAt);
    }
    assert.equal(banned(panel, '203.0.113.5'), false, 'never banned');
    assert.equal(sent, 9, 'the 10th distinct username was held');
  });

  it('a get_profile without a serial gets a naive client banned at once; guardedFetch never sends it', async () => {
    const clock = fakeClock();
    const panel = await panelFor('strict', 'xcvm', clock);
    const headers = { 'x-forwarded-for': '203.0.113.6', cookie: 'mac=00:1A:79:00:00:01' };
    const handshake = await (await fetch(`${panel.url}/portal.php?type=stb&action=handshake`, { headers })).json();
    const token = (handshake as { js?: { token?: string } }).js?.token ?? '';
    const profile = `${panel.url}/portal.php?type=stb&action=get_profile&mac=00:1A:79:00:00:01`;
    await (await fetch(profile, { headers: { ...headers, authorization: `Bearer ${token}` } })).arrayBuffer();
    assert.equal(banned(panel, '203.0.113.6'), true, 'MAGSCAN: banned at once');

    const guard = createFloodGuard({ now: clock.now });
    const error = await guardedFetch(profile, { headers: { 'x-forwarded-for': '203.0.113.7' } }, { guard }).catch((caught: unknown) => caught);
    assert.ok(error instanceof FloodBlockedError);
    assert.equal(error.diagnosis?.code, 'MAGSCAN');
    assert.equal(panel.log().filter((entry) => entry.ip === '203.0.113.7').length, 0, 'nothing reached the panel');
  });
});

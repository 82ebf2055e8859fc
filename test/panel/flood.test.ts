/** Flood protection of the demo panel, driven by a fake clock: seed thresholds and strict chains. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Panel } from '../../demo/panel/index.js';
import { creds, freshIp, get, panelWithClock, type FakeClock } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

const badLogin = (panel: Panel, ip: string) => get(panel, `/player_api.php?${creds('demo', 'wrong')}`, { ip });
const goodLogin = (panel: Panel, ip: string) => get(panel, `/player_api.php?${creds('demo', 'test123')}`, { ip });

async function failTimes(panel: Panel, ip: string, n: number, clock?: FakeClock, gapMs = 0): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    if (clock && gapMs && i > 0) clock.advance(gapMs);
    statuses.push((await badLogin(panel, ip)).status);
  }
  return statuses;
}

function assertBlocked(r: { status: number; text: string }): void {
  assert.equal(r.status, 403);
  assert.equal(r.text, '', 'a blocked IP gets an empty body');
}

describe('seed flood protection (5 warn, 10 → 5 min, 20 → 1 h)', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ flood: 'seed' })));
  after(() => panel.stop());

  test('5 failures → FLOOD_WARNING in the log (and no block)', async () => {
    const ip = freshIp();
    await failTimes(panel, ip, 4);
    assert.ok(!panel.log().some((e) => e.ip === ip && e.code === 'FLOOD_WARNING'));
    await failTimes(panel, ip, 1);
    const warn = panel.log().filter((e) => e.ip === ip && e.code === 'FLOOD_WARNING');
    assert.equal(warn.length, 1);
    assert.equal(warn[0]!.time, clock.now());
    assert.equal((await badLogin(panel, ip)).json().user_info.auth, 0, 'still answered normally');
    assert.equal(panel.banList().filter((b) => b.ip === ip).length, 0);
  });

  test('10 → 403 empty for 5 minutes; refused requests are not counted; 20 → 1 hour; an hour later all is reset', async () => {
    const ip = freshIp();
    const first9 = await failTimes(panel, ip, 9);
    assert.deepEqual(first9, Array(9).fill(200));
    const tenth = await badLogin(panel, ip);
    assertBlocked(tenth);
    const ban = panel.banList().find((b) => b.ip === ip);
    assert.ok(ban);
    assert.equal(ban.until, clock.now() + 5 * MIN);
    assert.match(ban.reason, /flood/);
    assert.ok(panel.log().some((e) => e.ip === ip && e.code === 'FLOOD_BLOCK'));
    // during the block: everything is refused, nothing is counted (not even a right password)
    const failuresBefore = panel.counters().failures;
    for (let i = 0; i < 5; i++) assertBlocked(await badLogin(panel, ip));
    assertBlocked(await goodLogin(panel, ip));
    assertBlocked(await get(panel, '/live/demo/test123/1001.m3u8', { ip }));
    assert.equal(panel.counters().failures, failuresBefore);
    assert.equal(panel.failures(ip), 10);
    clock.advance(5 * MIN - 1);
    assertBlocked(await badLogin(panel, ip));
    clock.advance(1);
    assert.equal(panel.banList().filter((b) => b.ip === ip).length, 0);
    // failures 11..19 are answered again; the 20th starts the 1-hour block
    assert.deepEqual(await failTimes(panel, ip, 9), Array(9).fill(200));
    assertBlocked(await badLogin(panel, ip));
    assert.equal(panel.banList().find((b) => b.ip === ip)!.until, clock.now() + HOUR);
    clock.advance(HOUR - 1);
    assertBlocked(await goodLogin(panel, ip));
    clock.advance(1);
    // an hour without a failure: the count starts over
    assert.equal(panel.failures(ip), 0);
    assert.equal((await goodLogin(panel, ip)).json().user_info.auth, 1);
  });

  test('a successful login resets the count', async () => {
    const ip = freshIp();
    await failTimes(panel, ip, 9);
    assert.equal((await goodLogin(panel, ip)).json().user_info.auth, 1);
    assert.equal(panel.failures(ip), 0);
    assert.equal((await badLogin(panel, ip)).status, 200, 'failure #1 again, not #10');
    assert.equal(panel.failures(ip), 1);
  });

  test('an hour without a failure resets the count; 59:59 does not', async () => {
    const a = freshIp();
    await failTimes(panel, a, 9);
    clock.advance(HOUR);
    assert.equal((await badLogin(panel, a)).status, 200);
    assert.equal(panel.failures(a), 1);
    const b = freshIp();
    await failTimes(panel, b, 9);
    clock.advance(HOUR - 1000);
    assertBlocked(await badLogin(panel, b));
  });

  test('denied stream requests count too; 404s and 416s do not', async () => {
    const ip = freshIp();
    assert.equal((await badLogin(panel, ip)).status, 200);
    for (let i = 0; i < 5; i++) assert.equal((await get(panel, '/nothing/here', { ip })).status, 404);
    for (let i = 0; i < 5; i++) {
      assert.equal((await get(panel, '/movie/demo/test123/2001.mp4', { ip, headers: { range: 'bytes=999999999-' } })).status, 416);
    }
    assert.equal(panel.failures(ip), 1, 'neither counted nor a reset');
    for (let i = 0; i < 8; i++) assert.equal((await get(panel, '/live/basic/basic123/1003.m3u8', { ip })).status, 406);
    assertBlocked(await get(panel, '/live/basic/basic123/1003.m3u8', { ip }));
  });

  test('a naive client looping on a wrong password is blocked within 10 attempts (403, in banList)', async () => {
    const ip = freshIp();
    let attempts = 0;
    let last = 0;
    while (attempts < 50) {
      attempts++;
      last = (await badLogin(panel, ip)).status;
      if (last === 403) break;
    }
    assert.equal(last, 403);
    assert.ok(attempts <= 10, `blocked after ${attempts} attempts`);
    assert.ok(panel.banList().some((b) => b.ip === ip && b.until !== null));
  });
});

describe('seed flood protection, masked style', () => {
  let panel: Panel;
  before(async () => ({ panel } = await panelWithClock({ flood: 'seed', style: 'masked' })));
  after(() => panel.stop());

  test('the block is 403 with an empty body here too (after nine fake 404 pages)', async () => {
    const ip = freshIp();
    assert.deepEqual(await failTimes(panel, ip, 9), Array(9).fill(404));
    assertBlocked(await badLogin(panel, ip));
    assert.ok(panel.banList().some((b) => b.ip === ip));
  });
});

describe('strict flood protection (chain < 2 s, 40 → permanent)', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ flood: 'strict' })));
  after(() => panel.stop());

  test('39 denials 1.999 s apart are answered; the 40th is a permanent ban', async () => {
    const ip = freshIp();
    const statuses = await failTimes(panel, ip, 39, clock, 1999);
    assert.deepEqual(statuses, Array(39).fill(200), 'no seed 10/20 blocks in strict mode');
    assert.equal(panel.failures(ip), 39);
    clock.advance(1999);
    assertBlocked(await badLogin(panel, ip));
    const ban = panel.banList().find((b) => b.ip === ip);
    assert.ok(ban);
    assert.equal(ban.until, null);
    clock.advance(30 * 24 * HOUR);
    assertBlocked(await goodLogin(panel, ip));
    assert.ok(panel.banList().some((b) => b.ip === ip && b.until === null));
    assert.ok(panel.log().some((e) => e.ip === ip && e.code === 'FLOOD_BLOCK'));
  });

  test('a gap of 2 s or more restarts the chain at 1', async () => {
    const ip = freshIp();
    await failTimes(panel, ip, 30, clock, 500);
    assert.equal(panel.failures(ip), 30);
    clock.advance(2000);
    await badLogin(panel, ip);
    assert.equal(panel.failures(ip), 1);
    assert.deepEqual(await failTimes(panel, ip, 38, clock, 100), Array(38).fill(200));
    assert.equal(panel.failures(ip), 39);
    assert.equal(panel.banList().filter((b) => b.ip === ip).length, 0);
  });
});

describe('flood off', () => {
  let panel: Panel;
  before(async () => ({ panel } = await panelWithClock({ flood: 'off' })));
  after(() => panel.stop());

  test('never blocks', async () => {
    const ip = freshIp();
    assert.deepEqual(await failTimes(panel, ip, 25), Array(25).fill(200));
    assert.deepEqual(panel.banList(), []);
  });
});

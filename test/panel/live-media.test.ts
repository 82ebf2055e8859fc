/** liveMedia 'fixture' (npm start): every live channel is the real test pattern, endless, its timestamps continuous. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mediaFile, type Panel } from '../../demo/panel/index.js';
import { shiftTimestamps } from '../../demo/panel/live-media.js';
import { panelWithClock, type FakeClock } from './helpers.js';

/** The video PTS of every PES start in an MPEG-TS buffer (90 kHz), in order. */
function videoPts(ts: Buffer): number[] {
  const out: number[] = [];
  for (let p = 0; p + 188 <= ts.length; p += 188) {
    if (!(ts[p + 1]! & 0x40)) continue;
    const control = (ts[p + 3]! >> 4) & 3;
    const payload = control & 2 ? p + 5 + ts[p + 4]! : p + 4;
    if (ts[payload] !== 0 || ts[payload + 1] !== 0 || ts[payload + 2] !== 1 || (ts[payload + 3]! & 0xf0) !== 0xe0) continue;
    const b = ts.subarray(payload + 9, payload + 14);
    out.push(((b[0]! >> 1) & 7) * 2 ** 30 + (b[1]! << 22) + ((b[2]! >> 1) << 15) + (b[3]! << 7) + (b[4]! >> 1));
  }
  return out;
}

describe('panel liveMedia: fixture', () => {
  let panel: Panel;
  let clock: FakeClock;
  before(async () => ({ panel, clock } = await panelWithClock({ liveMedia: 'fixture' })));
  after(() => panel.stop());

  it('moves every timestamp of a lap on by exactly 6 s and leaves every other byte alone', () => {
    const source = mediaFile('9001.ts');
    const shifted = shiftTimestamps(source, 6 * 90_000);
    assert.equal(shifted.length, source.length);
    const before = videoPts(source);
    const after = videoPts(shifted);
    assert.ok(before.length > 80);
    assert.deepEqual(after, before.map((pts) => pts + 540_000));
    // A second lap continues the first: its first frame comes one frame (1/15 s) after the first lap's last.
    assert.equal(after[0]! - before[before.length - 1]!, 6_000);
  });

  it('serves a live HLS window of real segments that slides with the clock (no ENDLIST)', async () => {
    const first = await fetch(`${panel.url}/live/demo/test123/1001.m3u8`).then((r) => r.text());
    assert.doesNotMatch(first, /ENDLIST/);
    const uris = first.split('\n').filter((line) => line.startsWith('/hls/'));
    assert.equal(uris.length, 5);
    const answer = await fetch(panel.url + uris[0]);
    const segment = Buffer.from(await answer.arrayBuffer());
    assert.equal(segment[0], 0x47);
    assert.ok(videoPts(segment).length > 20, 'a real segment with video frames');
    clock.advance(2_000);
    const next = await fetch(`${panel.url}/live/demo/test123/1001.m3u8`).then((r) => r.text());
    assert.equal(next.split('\n').filter((line) => line.startsWith('/hls/'))[0], uris[1]);
  });

  it('serves live MPEG-TS as the fixture over and over, two laps at once, with continuous timestamps', async () => {
    const controller = new AbortController();
    const response = await fetch(`${panel.url}/live/demo/test123/1002.ts`, { signal: controller.signal });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    let length = 0;
    const lap = mediaFile('9001.ts').length;
    while (length < 2 * lap) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
    controller.abort();
    const pts = videoPts(Buffer.concat(chunks).subarray(0, 2 * lap));
    for (let i = 1; i < pts.length; i++) assert.equal(pts[i]! - pts[i - 1]!, 6_000, `frame ${i}`);
  });
});

/**
 * `liveMedia: 'fixture'` (what `npm start` runs): every live channel plays the real test pattern of demo/media/
 * as an endless live stream, so a portal's player shows a picture on any channel it lists.
 *
 * - `.m3u8`: a sliding window of tokenised `/hls/TOKEN/ID/N.ts` segments (no #EXT-X-ENDLIST) that moves with the
 *   panel clock, one 2 s segment at a time; segment N is fixture segment N mod 3 with its timestamps moved on by
 *   6 s per lap, so the stream runs on without a discontinuity.
 * - `.ts`: the 6 s fixture over and over, each lap's timestamps moved on by 6 s, written in real time
 *   (two laps ahead, then one every 6 s) until the client leaves.
 *
 * Only the timestamps change (PES PTS/DTS and adaptation-field PCR): the 90 kHz clock values are 33-bit fields,
 * so they are rewritten with arithmetic rather than 32-bit bit operations.
 */
import { TS_PACKET } from './bytes.js';
import { mediaFile, mediaSegments, type MediaFile } from './media.js';

/** The fixture's length: 6 s in the 90 kHz clock of MPEG-TS timestamps (scripts/make-media.sh: duration=6). */
export const FIXTURE_SECONDS = 6;
const LAP_TICKS = FIXTURE_SECONDS * 90_000;
const WRAP = 2 ** 33;
/** Segments in a live playlist window. */
const WINDOW = 5;

/** Reads a PES timestamp (PTS/DTS: 5 bytes, 33 bits between marker bits). */
function readTimestamp(b: Buffer, at: number): number {
  return ((b[at]! >> 1) & 7) * 2 ** 30 + (b[at + 1]! << 22) + ((b[at + 2]! >> 1) << 15) + (b[at + 3]! << 7) + (b[at + 4]! >> 1);
}

function writeTimestamp(b: Buffer, at: number, value: number): void {
  b[at] = (b[at]! & 0xf0) | ((Math.floor(value / 2 ** 30) & 7) << 1) | 1;
  b[at + 1] = Math.floor(value / 2 ** 22) & 0xff;
  b[at + 2] = ((Math.floor(value / 2 ** 15) & 0x7f) << 1) | 1;
  b[at + 3] = Math.floor(value / 2 ** 7) & 0xff;
  b[at + 4] = ((value & 0x7f) << 1) | 1;
}

/** Reads a PCR's 33-bit base (the 9-bit extension is left as it is). */
function readPcrBase(b: Buffer, at: number): number {
  return b[at]! * 2 ** 25 + (b[at + 1]! << 17) + (b[at + 2]! << 9) + (b[at + 3]! << 1) + (b[at + 4]! >> 7);
}

function writePcrBase(b: Buffer, at: number, value: number): void {
  b[at] = Math.floor(value / 2 ** 25) & 0xff;
  b[at + 1] = Math.floor(value / 2 ** 17) & 0xff;
  b[at + 2] = Math.floor(value / 2 ** 9) & 0xff;
  b[at + 3] = Math.floor(value / 2) & 0xff;
  b[at + 4] = ((value & 1) << 7) | (b[at + 4]! & 0x7f);
}

/** A copy of an MPEG-TS buffer with every PTS, DTS and PCR moved on by `ticks` (90 kHz). */
export function shiftTimestamps(source: Buffer, ticks: number): Buffer {
  const out = Buffer.from(source);
  if (ticks === 0) return out;
  const shift = (value: number) => (value + ticks) % WRAP;
  for (let p = 0; p + TS_PACKET <= out.length; p += TS_PACKET) {
    if (out[p] !== 0x47) continue;
    const unitStart = (out[p + 1]! & 0x40) !== 0;
    const control = (out[p + 3]! >> 4) & 3;
    let payload = p + 4;
    if (control & 2) {
      const length = out[p + 4]!;
      if (length > 0 && out[p + 5]! & 0x10) writePcrBase(out, p + 6, shift(readPcrBase(out, p + 6)));
      payload = p + 5 + length;
    }
    if (!(control & 1) || !unitStart || payload + 14 > p + TS_PACKET) continue;
    if (out[payload] !== 0 || out[payload + 1] !== 0 || out[payload + 2] !== 1) continue; // PAT/PMT, not a PES
    const flags = out[payload + 7]! >> 6;
    if (flags & 2) writeTimestamp(out, payload + 9, shift(readTimestamp(out, payload + 9)));
    if (flags === 3 && payload + 19 <= p + TS_PACKET) writeTimestamp(out, payload + 14, shift(readTimestamp(out, payload + 14)));
  }
  return out;
}

const laps = new Map<string, Buffer>();
/** Fixture `file` on lap `lap` (cached: a player asks the same few segments again and again). */
function lapOf(file: MediaFile, lap: number): Buffer {
  const key = `${file}:${lap}`;
  let buffer = laps.get(key);
  if (!buffer) {
    buffer = shiftTimestamps(mediaFile(file), (lap * LAP_TICKS) % WRAP);
    if (laps.size >= 32) laps.delete(laps.keys().next().value!);
    laps.set(key, buffer);
  }
  return buffer;
}

/** Segment length of the fixture playlist, seconds. */
function segmentSeconds(): number {
  return FIXTURE_SECONDS / mediaSegments().length;
}

/** A live media playlist at `now` (ms) for the HLS session `token`: a window of segments that slides with the clock. */
export function fixtureLivePlaylist(now: number, token: string, id: number): string {
  const segments = mediaSegments();
  const seconds = segmentSeconds();
  const sequence = Math.floor(now / (seconds * 1000));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${Math.ceil(seconds)}`, `#EXT-X-MEDIA-SEQUENCE:${sequence}`];
  for (let n = sequence; n < sequence + WINDOW; n++) lines.push(`#EXTINF:${segments[n % segments.length]!.duration},`, `/hls/${token}/${id}/${n}.ts`);
  return lines.join('\n') + '\n';
}

/** Segment `n` of a fixture live playlist: fixture segment n mod 3, on lap n div 3. */
export function fixtureLiveSegment(n: number): Buffer {
  const segments = mediaSegments();
  return lapOf(segments[n % segments.length]!.file, Math.floor(n / segments.length));
}

/** Lap `lap` of the whole fixture as one MPEG-TS. */
export function fixtureLiveLap(lap: number): Buffer {
  return lapOf('9001.ts', lap);
}

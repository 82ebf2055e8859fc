/** The real media fixtures of demo/media/ (9001.*), read once on first use. */
import { readFileSync } from 'node:fs';

const cache = new Map<string, Buffer>();

export type MediaFile = '9001.m3u8' | '9001.ts' | '9001.mp4' | '9001_0.ts' | '9001_1.ts' | '9001_2.ts';

/** The bytes of a fixture in demo/media/. */
export function mediaFile(name: MediaFile): Buffer {
  let b = cache.get(name);
  if (!b) {
    b = readFileSync(new URL(`../media/${name}`, import.meta.url));
    cache.set(name, b);
  }
  return b;
}

/** The HLS segments of 9001.m3u8, in order, with their EXTINF durations (parsed line by line). */
export function mediaSegments(): Array<{ file: MediaFile; duration: string }> {
  const out: Array<{ file: MediaFile; duration: string }> = [];
  let duration = '2.000000';
  for (const raw of mediaFile('9001.m3u8').toString('utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) duration = line.slice(8).split(',')[0] ?? duration;
    else if (line && !line.startsWith('#')) out.push({ file: line as MediaFile, duration });
  }
  return out;
}

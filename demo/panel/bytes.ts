/** The panel's synthetic media bytes: deterministic, generated on demand, byte-exact for tests. */

export const TS_PACKET = 188;

/** A per-file seed so different files have different bytes. */
export function contentSeed(kind: string, id: number): number {
  let h = 2166136261;
  for (const ch of `${kind}:${id}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** The byte at `pos` of a VOD file with `seed` (the spec tests compare against). */
export function vodByteAt(seed: number, pos: number): number {
  return (Math.imul(pos, 131) + Math.imul(pos >>> 8, 17) + seed + ((pos / 65536) | 0)) & 0xff;
}

/** Bytes [start, end) of a VOD file. */
export function vodBytes(seed: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, end - start));
  for (let i = 0; i < buf.length; i++) buf[i] = vodByteAt(seed, start + i);
  return buf;
}

/** Bytes [start, end) of an MPEG-TS-like stream: a 0x47 sync byte every 188 bytes, PID 0x100, counting CC. */
export function tsBytes(seed: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, end - start));
  for (let i = 0; i < buf.length; i++) {
    const pos = start + i;
    const off = pos % TS_PACKET;
    const pkt = Math.floor(pos / TS_PACKET);
    if (off === 0) buf[i] = 0x47;
    else if (off === 1) buf[i] = 0x41;
    else if (off === 2) buf[i] = 0x00;
    else if (off === 3) buf[i] = 0x10 | (pkt & 0x0f);
    else buf[i] = (Math.imul(pkt, 31) + off + seed) & 0xff;
  }
  return buf;
}

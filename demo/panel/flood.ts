/**
 * The panel's flood protection, per client IP.
 *
 * - `seed` (the seed's table): failures count per IP; 5 → FLOOD_WARNING in the log, 10 → blocked 5 minutes,
 *   20 → blocked 1 hour. A successful login, or an hour without a failure, resets the count. Requests refused
 *   during a block are not counted. The failure that reaches a blocking threshold is itself answered with the block.
 * - `strict`: a denial less than 2 s after the previous one adds one to the chain, a longer gap restarts it at 1;
 *   a chain of 40 → permanent ban.
 * - `off`: nothing.
 */
import { panelFloodRules, strictPanelFloodRules } from '../../core/catalog.js';
import type { BanEntry, FloodMode } from './types.js';

const HOUR = 60 * 60_000;

export interface FloodEvent {
  code: 'FLOOD_WARNING' | 'FLOOD_BLOCK';
  detail: string;
}

export interface FailureResult {
  /** This failure started a block: answer it with the block. */
  blocked: boolean;
  events: FloodEvent[];
  count: number;
}

export class FloodProtection {
  private counts = new Map<string, { count: number; last: number }>();
  private bans = new Map<string, BanEntry>();

  constructor(
    private mode: FloodMode,
    private readonly now: () => number,
  ) {}

  get floodMode(): FloodMode {
    return this.mode;
  }

  /** The active ban on this IP, if any (expired bans are dropped). */
  blockOf(ip: string): BanEntry | undefined {
    const ban = this.bans.get(ip);
    if (!ban) return undefined;
    if (ban.until !== null && ban.until <= this.now()) {
      this.bans.delete(ip);
      return undefined;
    }
    return ban;
  }

  /** Count one failure (a failed login or a denied request) for `ip`. */
  failure(ip: string): FailureResult {
    const now = this.now();
    const events: FloodEvent[] = [];
    if (this.mode === 'off') return { blocked: false, events, count: 0 };
    const st = this.counts.get(ip);
    if (this.mode === 'strict') {
      const chain = st && now - st.last < strictPanelFloodRules.chainGapMs ? st.count + 1 : 1;
      this.counts.set(ip, { count: chain, last: now });
      if (chain >= strictPanelFloodRules.permanentBan) {
        this.ban(ip, null, `flood (strict): ${chain} denied requests less than 2 s apart`);
        events.push({ code: 'FLOOD_BLOCK', detail: `permanent ban after a chain of ${chain}` });
        return { blocked: true, events, count: chain };
      }
      return { blocked: false, events, count: chain };
    }
    const count = st && now - st.last < HOUR ? st.count + 1 : 1;
    this.counts.set(ip, { count, last: now });
    if (count === panelFloodRules.warn) events.push({ code: 'FLOOD_WARNING', detail: `${count} failures` });
    if (count >= panelFloodRules.extended) {
      this.ban(ip, now + panelFloodRules.extendedMs, `flood: ${count} failures`);
      events.push({ code: 'FLOOD_BLOCK', detail: `${count} failures: blocked for 1 hour` });
      return { blocked: true, events, count };
    }
    if (count === panelFloodRules.block) {
      this.ban(ip, now + panelFloodRules.blockMs, `flood: ${count} failures`);
      events.push({ code: 'FLOOD_BLOCK', detail: `${count} failures: blocked for 5 minutes` });
      return { blocked: true, events, count };
    }
    return { blocked: false, events, count };
  }

  /** A successful login resets the failure count (seed mode). */
  success(ip: string): void {
    if (this.mode === 'seed') this.counts.delete(ip);
  }

  failures(ip: string): number {
    const st = this.counts.get(ip);
    if (!st) return 0;
    if (this.mode === 'seed' && this.now() - st.last >= HOUR) return 0;
    return st.count;
  }

  ban(ip: string, until: number | null, reason: string): BanEntry {
    const entry: BanEntry = { ip, reason, since: this.now(), until };
    this.bans.set(ip, entry);
    return entry;
  }

  unban(ip: string): void {
    this.bans.delete(ip);
    this.counts.delete(ip);
  }

  banList(): BanEntry[] {
    for (const ip of [...this.bans.keys()]) this.blockOf(ip);
    return [...this.bans.values()].map((b) => ({ ...b }));
  }

  reset(mode?: FloodMode): void {
    this.counts.clear();
    this.bans.clear();
    if (mode) this.mode = mode;
  }
}

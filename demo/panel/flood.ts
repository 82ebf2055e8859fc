/**
 * The panel's flood protection, per client IP.
 *
 * - `seed` (the seed's table): failures count per IP; 5 → FLOOD_WARNING in the log, 10 → blocked 5 minutes,
 *   20 → blocked 1 hour. A successful login, or an hour without a failure, resets the count. Requests refused
 *   during a block are not counted. The failure that reaches a blocking threshold is itself answered with the block.
 * - `strict` (XC_VM's checkFlood): a denial less than 2 s after the previous one adds one to the chain, a longer
 *   gap restarts it at 1; a chain of 40 → permanent ban.
 * - `off`: nothing.
 *
 * Modes combine (`['seed', 'strict']`): each keeps its own count and a ban follows when either says so.
 *
 * Also here: XC_VM's bruteforce detection (distinct usernames / MACs from one IP within a window → ban).
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
  /** The primary count (seed when seed is on, else the strict chain). */
  count: number;
}

/** `'seed'`, `['seed','strict']`, `'off'`, `[]` … → the distinct active modes, in a fixed order. */
export function normalizeFloodModes(flood: FloodMode | readonly FloodMode[]): Array<'seed' | 'strict'> {
  const list = typeof flood === 'string' ? [flood] : [...flood];
  for (const m of list) {
    if (m !== 'seed' && m !== 'strict' && m !== 'off') throw new TypeError(`flood must be seed, strict or off (or a list of them), not ${String(m)}`);
  }
  return (['seed', 'strict'] as const).filter((m) => list.includes(m));
}

/** The modes as the panel reports them: one string when there is one mode, `'off'` when none, else the list. */
export function floodLabel(modes: ReadonlyArray<'seed' | 'strict'>): FloodMode | FloodMode[] {
  if (modes.length === 0) return 'off';
  if (modes.length === 1) return modes[0]!;
  return [...modes];
}

export class FloodProtection {
  private seedCounts = new Map<string, { count: number; last: number }>();
  private chains = new Map<string, { count: number; last: number }>();
  private bans = new Map<string, BanEntry>();
  private modes: Array<'seed' | 'strict'>;

  constructor(
    mode: FloodMode | readonly FloodMode[],
    private readonly now: () => number,
    /** xcvm style: ban reasons are XC_VM's `blocked_ips` notes (`FLOOD ATTACK`). */
    private readonly xcvmNotes = false,
  ) {
    this.modes = normalizeFloodModes(mode);
  }

  get floodModes(): Array<'seed' | 'strict'> {
    return [...this.modes];
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

  /** Count one failure (a failed login or a denied request) for `ip` in every active mode. */
  failure(ip: string): FailureResult {
    const now = this.now();
    const events: FloodEvent[] = [];
    let blocked = false;
    let count = 0;
    if (this.modes.includes('seed')) {
      const st = this.seedCounts.get(ip);
      const n = st && now - st.last < HOUR ? st.count + 1 : 1;
      this.seedCounts.set(ip, { count: n, last: now });
      count = n;
      if (n === panelFloodRules.warn) events.push({ code: 'FLOOD_WARNING', detail: `${n} failures` });
      if (n >= panelFloodRules.extended) {
        this.banUnlessLonger(ip, now + panelFloodRules.extendedMs, `flood: ${n} failures`);
        events.push({ code: 'FLOOD_BLOCK', detail: `${n} failures: blocked for 1 hour` });
        blocked = true;
      } else if (n === panelFloodRules.block) {
        this.banUnlessLonger(ip, now + panelFloodRules.blockMs, `flood: ${n} failures`);
        events.push({ code: 'FLOOD_BLOCK', detail: `${n} failures: blocked for 5 minutes` });
        blocked = true;
      }
    }
    if (this.modes.includes('strict')) {
      const st = this.chains.get(ip);
      const chain = st && now - st.last < strictPanelFloodRules.chainGapMs ? st.count + 1 : 1;
      this.chains.set(ip, { count: chain, last: now });
      if (!this.modes.includes('seed')) count = chain;
      if (chain >= strictPanelFloodRules.permanentBan) {
        this.ban(ip, null, this.xcvmNotes ? `FLOOD ATTACK (${chain} refused requests less than 2 s apart)` : `flood (strict): ${chain} denied requests less than 2 s apart`);
        events.push({ code: 'FLOOD_BLOCK', detail: `permanent ban after a chain of ${chain}` });
        blocked = true;
      }
    }
    return { blocked, events, count };
  }

  /** A successful login resets the seed failure count (the strict chain only restarts after a 2 s gap). */
  success(ip: string): void {
    this.seedCounts.delete(ip);
  }

  /** The seed count when seed is on, else the strict chain (0 when flood protection is off). */
  failures(ip: string): number {
    if (this.modes.includes('seed')) {
      const st = this.seedCounts.get(ip);
      if (!st || this.now() - st.last >= HOUR) return 0;
      return st.count;
    }
    return this.chain(ip);
  }

  /** The strict chain as it stands (0 when strict is off or nothing was counted yet). */
  chain(ip: string): number {
    return this.chains.get(ip)?.count ?? 0;
  }

  ban(ip: string, until: number | null, reason: string): BanEntry {
    const entry: BanEntry = { ip, reason, since: this.now(), until };
    this.bans.set(ip, entry);
    return entry;
  }

  /** A ban that never shortens one already in force (seed + strict: a permanent ban stays permanent). */
  private banUnlessLonger(ip: string, until: number, reason: string): void {
    const cur = this.blockOf(ip);
    if (cur && (cur.until === null || cur.until >= until)) return;
    this.ban(ip, until, reason);
  }

  unban(ip: string): void {
    this.bans.delete(ip);
    this.seedCounts.delete(ip);
    this.chains.delete(ip);
  }

  banList(): BanEntry[] {
    for (const ip of [...this.bans.keys()]) this.blockOf(ip);
    return [...this.bans.values()].map((b) => ({ ...b }));
  }

  reset(): void {
    this.seedCounts.clear();
    this.chains.clear();
    this.bans.clear();
  }
}

/**
 * XC_VM's checkBruteforce: per IP, the distinct usernames (or MACs) that failed within `frequencyMs`; the attempt
 * that brings the count to `limit` bans the IP (and the list starts over). The same term again is not a new attempt.
 */
export class Bruteforce {
  private attempts = new Map<string, Map<string, number>>();

  constructor(private readonly now: () => number) {}

  /** Records `term`; true when this attempt reaches `limit` (the caller bans). `limit` 0 = off. */
  attempt(ip: string, kind: 'user' | 'mac', term: string, limit: number, frequencyMs: number): boolean {
    if (limit <= 0) return false;
    const key = `${ip}\u0000${kind}`;
    const now = this.now();
    const seen = this.attempts.get(key) ?? new Map<string, number>();
    for (const [t, at] of seen) if (now - at > frequencyMs) seen.delete(t);
    if (seen.has(term)) {
      this.attempts.set(key, seen);
      return false;
    }
    seen.set(term, now);
    if (seen.size >= limit) {
      this.attempts.delete(key);
      return true;
    }
    this.attempts.set(key, seen);
    return false;
  }

  /** Distinct terms currently counted for `ip`. */
  count(ip: string, kind: 'user' | 'mac', frequencyMs: number): number {
    const seen = this.attempts.get(`${ip}\u0000${kind}`);
    if (!seen) return 0;
    const now = this.now();
    let n = 0;
    for (const at of seen.values()) if (now - at <= frequencyMs) n++;
    return n;
  }

  forget(ip: string): void {
    this.attempts.delete(`${ip}\u0000user`);
    this.attempts.delete(`${ip}\u0000mac`);
  }

  reset(): void {
    this.attempts.clear();
  }
}

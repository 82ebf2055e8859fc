/**
 * The flood guard: keeps a client under the panel's flood-protection thresholds.
 *
 * Its promise: an automatic request never makes the failure that crosses a panel's blocking
 * threshold. The guard pauses one failure short (`margin`), limits requests in flight to the
 * failures left, waits after every failure, mirrors the panel's own blocks and stops for good
 * on definitive failures. Only a person, told the consequence, can go past a pause (`allowOnce`).
 */
import { panelFloodRules } from './catalog.js';
import { diagnosisOf } from './classify.js';
import { diagnosisFacts } from './diagnosis-facts.js';
import { addsNoExplanation, bruteforceRules, followsPanelBlock, isLoginFailure, mirrorsPanelBlock } from './panel-rules.js';
import { createMemoryStore } from './stores/memory.js';
import { EMPTY_FLOOD_STATE, type FloodSlot, type FloodState, type FloodStore } from './stores/types.js';
import type { Diagnosis, EndpointKind } from './types.js';

export interface FloodThresholds {
  /** Failures at which the panel logs a warning. */
  readonly warn: number;
  /** Failures at which the panel blocks for `blockMs`. */
  readonly block: number;
  readonly blockMs: number;
  /** Failures at which the panel blocks for `extendedMs`, each further failure restarting it. */
  readonly extended: number;
  readonly extendedMs: number;
  /** A failure-free period after which the panel forgets its count. */
  readonly quietMs: number;
}

export interface FloodBackoff {
  /** The least wait after any failure: longer than the 2-second chain strict panels count. */
  readonly minMs: number;
  /** The exponential part: `baseMs · 2^(streak−1)`, scaled by a jitter factor in [0, 1). */
  readonly baseMs: number;
  /** The whole wait's cap. */
  readonly maxMs: number;
  /** Retry-After is honoured up to this. */
  readonly retryAfterCapMs: number;
}

export const defaultFloodThresholds: FloodThresholds = Object.freeze({ ...panelFloodRules, quietMs: 60 * 60_000 });
export const defaultFloodBackoff: FloodBackoff = Object.freeze({
  minMs: 2_500,
  baseMs: 1_000,
  maxMs: 60_000,
  retryAfterCapMs: 60 * 60_000,
});
/** How long a reserved slot waits for its `record` before it lapses. */
export const FLOOD_SLOT_TTL_MS = 30_000;
/**
 * A `begin` that leaves fewer requests than this to spare (failures left minus requests in flight) asks the
 * store for an exclusive update: a store shared by tabs in different processes then makes them take turns.
 */
const CONTENDED_SPARE = 3;
/**
 * Added to the ends of mirrored panel blocks and of the quiet hour: the panel starts counting
 * when a request arrives, the guard when the answer does — never resume a hair too early.
 */
const SAFETY_MS = 1_000;

export type FloodLevel = 'ok' | 'warning' | 'blocked';
/**
 * Why requests wait:
 * - `backoff`: the pause after a failure (or every slot is taken by requests in flight);
 * - `threshold`: one more failure would make the panel block — waits for the quiet hour or a person;
 * - `panel-block`: the panel is blocking this client (mirrored, timed);
 * - `hard-stop`: a definitive failure (expired, banned, IP/country/ISP lock, VPN) — no time lifts it;
 * - `retry-after`: the server asked to wait.
 */
export type FloodReason = 'backoff' | 'threshold' | 'panel-block' | 'hard-stop' | 'retry-after';

export interface FloodStatus {
  readonly key: string;
  /** Whether a request may be sent now (for `begin`: whether this one was). */
  readonly allowed: boolean;
  readonly level: FloodLevel;
  /** Failures the panel has counted, as far as the guard knows. */
  readonly failures: number;
  /** Failures automatic requests may still make before the guard pauses (0 when paused). */
  readonly attemptsLeft: number;
  /** When requests may resume by themselves; absent for a hard stop and when allowed. */
  readonly retryAt?: number;
  /** What holds requests back (or, with a ticket, what the ticket goes past). */
  readonly reason?: FloodReason;
  /** A person's `allowOnce` ticket is waiting for the next `begin`. */
  readonly ticket: boolean;
  readonly inFlight: number;
  /**
   * At a pause point: what one more failure does — the panel blocks for `blockMs`. This is the
   * consequence to spell out before a person chooses "try anyway".
   */
  readonly consequence?: { readonly failures: number; readonly blockMs: number };
  /** The last failure, as facts (no server text, no URL). */
  readonly diagnosis?: Diagnosis;
}

/** What `begin` answers: a status, and the slot to hand back to `record` when allowed. */
export interface FloodTicket extends FloodStatus {
  readonly slot?: string;
}

/**
 * What happened to a request: a Diagnosis (a failure), `null` or `'success'` (a successful
 * authentication), `'failure'` (a failure the panel counts, without details), or `'neutral'`
 * (an answer that proves nothing about authentication: it only settles the slot).
 */
export type FloodOutcome = Diagnosis | null | 'success' | 'failure' | 'neutral';

/** The request a check is about; Stream API (billing) calls and the portal's own pages are never held back. */
export interface FloodRequest {
  readonly kind?: EndpointKind;
  /**
   * The account the request signs in with, as a hash (never the credential): panels ban an IP from which too
   * many distinct usernames or MACs fail (core/panel-rules.ts `bruteforceRules`). Kept in memory only.
   */
  readonly account?: { readonly kind: 'user' | 'mac'; readonly id: string };
  /** A Stalker `get_profile` without a serial number: the panel bans the IP at once (MAGSCAN). Never sent automatically. */
  readonly magscan?: boolean;
}

export interface FloodGuardOptions {
  thresholds?: Partial<FloodThresholds>;
  /** How many failures short of a panel block the guard pauses (at least 1; default 1). */
  margin?: number;
  now?: () => number;
  /** Jitter source in [0, 1). */
  random?: () => number;
  store?: FloodStore;
  backoff?: Partial<FloodBackoff>;
  /** Hosts that share one panel's count (API, stream and load-balancer hosts): host name → key. */
  groups?: Readonly<Record<string, string>>;
}

export interface FloodGuard {
  /** Reads only. */
  check(key: string, request?: FloodRequest): Promise<FloodStatus>;
  /** Asks to send one request; when allowed, reserves a slot (consuming a waiting ticket). */
  begin(key: string, request?: FloodRequest): Promise<FloodTicket>;
  /** Records what happened — always counts, even during a block — and settles a slot. */
  record(key: string, outcome: FloodOutcome, slot?: string): Promise<FloodStatus>;
  /** A person chose to try anyway: one ticket past a threshold pause or a hard stop. */
  allowOnce(key: string): Promise<FloodStatus>;
  /**
   * The viewer says they fixed it: lifts a hard stop and a pause (keeping the count: the panel
   * keeps its own). `hardStopOnly` lifts the hard stop alone (guardedFetch: credentials changed).
   */
  reset(key: string, options?: { hardStopOnly?: boolean }): Promise<FloodStatus>;
  snapshot(): Promise<Record<string, FloodStatus>>;
  /** Called with the new status whenever a key's state changes here or in another tab. */
  subscribe(key: string, listener: (status: FloodStatus) => void): () => void;
  /** The key for a URL: its host name, or the group it is configured into. */
  keyFor(url: string | URL): string;
  /** The guard's clock. */
  now(): number;
  readonly thresholds: FloodThresholds;
  readonly margin: number;
}

/** Thrown by guardedFetch instead of sending a request the guard holds back. */
export class FloodBlockedError extends Error {
  override readonly name = 'FloodBlockedError';
  readonly key: string;
  readonly retryAt?: number;
  readonly reason: FloodReason;
  readonly diagnosis?: Diagnosis;
  readonly status: FloodStatus;

  constructor(status: FloodStatus) {
    const reason = status.reason ?? 'backoff';
    super(
      status.retryAt === undefined
        ? `Requests to ${status.key} are stopped (${reason})`
        : `Requests to ${status.key} are paused until ${new Date(status.retryAt).toISOString()} (${reason})`,
    );
    this.key = status.key;
    this.retryAt = status.retryAt;
    this.reason = reason;
    this.diagnosis = status.diagnosis;
    this.status = status;
  }
}

const EXEMPT_KINDS: ReadonlySet<EndpointKind> = new Set(['stream-api', 'other']);

/** Whether requests of this kind are never held back (billing, the portal's own pages). */
export function isExemptRequest(request: FloodRequest | undefined): boolean {
  return request?.kind !== undefined && EXEMPT_KINDS.has(request.kind);
}

/** What a held MAGSCAN-risk request shows (facts only). */
const MAGSCAN_DIAGNOSIS: Diagnosis = /* @__PURE__ */ diagnosisOf('MAGSCAN');

function later(a: number | undefined, b: number): number {
  return a === undefined ? b : Math.max(a, b);
}

let slotCounter = 0;
const KEY_CACHE_SIZE = 256;

export function createFloodGuard(options: FloodGuardOptions = {}): FloodGuard {
  const thresholds: FloodThresholds = Object.freeze({ ...defaultFloodThresholds, ...options.thresholds });
  const backoff: FloodBackoff = Object.freeze({ ...defaultFloodBackoff, ...options.backoff });
  const margin = Math.max(1, Math.floor(options.margin ?? 1));
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const store = options.store ?? createMemoryStore();
  const groups = options.groups ?? {};
  const listeners = new Map<string, Set<(status: FloodStatus) => void>>();
  /** The keys of the URLs asked about lately: a portal asks the same few URLs over and over. */
  const keys = new Map<string, string>();
  /** The failure counts at which automatic requests pause. */
  const firstPause = thresholds.block - margin;
  /** Makes this guard's slot ids unique among the tabs sharing a store (not the jitter source: ids are not policy). */
  const instance = Math.random().toString(36).slice(2, 8);
  const ownSlotSuffix = `-${instance}`;
  const secondPause = thresholds.extended - margin;
  /**
   * Per key, the distinct accounts whose sign-in failed lately (kind:hash → when), and the account each slot in
   * flight signs in with: in memory only — what bruteforce protection counts is never stored.
   */
  const failedAccounts = new Map<string, Map<string, number>>();
  /** Per key, accounts that proved a login here: a panel counts only failing ones, so these are never held. */
  const goodAccounts = new Map<string, Set<string>>();
  const slotAccounts = new Map<string, string>();

  /** Drops what time has lifted: lapsed slots, ended waits, and the count after a quiet hour. */
  function normalize(state: FloodState, at: number): FloodState {
    let next = state;
    for (const slot of state.slots) {
      if (slot.at + FLOOD_SLOT_TTL_MS > at) continue;
      next = { ...next, slots: state.slots.filter((candidate) => candidate.at + FLOOD_SLOT_TTL_MS > at) };
      break;
    }
    if (next.blockedUntil !== undefined && next.blockedUntil <= at) next = { ...next, blockedUntil: undefined };
    if (next.retryAfterUntil !== undefined && next.retryAfterUntil <= at) next = { ...next, retryAfterUntil: undefined };
    if (next.backoffUntil !== undefined && next.backoffUntil <= at) next = { ...next, backoffUntil: undefined };
    if (
      next.lastFailureAt !== undefined &&
      next.blockedUntil === undefined &&
      at >= next.lastFailureAt + thresholds.quietMs + SAFETY_MS
    ) {
      next = { ...next, failures: 0, streak: 0, lastFailureAt: undefined };
    }
    return next;
  }

  function attemptsLeftAt(failures: number): number {
    if (failures < firstPause) return firstPause - failures;
    if (failures >= thresholds.block && failures < secondPause) return secondPause - failures;
    return 0;
  }

  function consequenceAt(failures: number): FloodStatus['consequence'] {
    return failures >= thresholds.block
      ? { failures: Math.max(failures + 1, thresholds.extended), blockMs: thresholds.extendedMs }
      : { failures: thresholds.block, blockMs: thresholds.blockMs };
  }

  /** A status, built as one literal (one shape for every status: it is made on every request). */
  function statusOf(
    key: string,
    state: FloodState,
    attemptsLeft: number,
    allowed: boolean,
    level: FloodLevel,
    reason: FloodReason | undefined,
    retryAt: number | undefined,
  ): FloodStatus {
    return {
      key,
      allowed,
      level,
      failures: state.failures,
      attemptsLeft,
      retryAt,
      reason,
      ticket: state.tickets > 0,
      inFlight: state.slots.length,
      consequence: attemptsLeft === 0 ? consequenceAt(state.failures) : undefined,
      diagnosis: state.diagnosis,
    };
  }

  /** The status of a normalized state. */
  function evaluate(key: string, state: FloodState, at: number, request?: FloodRequest): FloodStatus {
    const { failures } = state;
    const attemptsLeft = attemptsLeftAt(failures);
    const ticket = state.tickets > 0;
    const countLevel: FloodLevel = failures >= thresholds.warn ? 'warning' : 'ok';
    if (isExemptRequest(request)) return statusOf(key, state, attemptsLeft, true, countLevel, undefined, undefined);
    if (!ticket && request?.magscan) {
      return { ...statusOf(key, state, attemptsLeft, false, 'blocked', 'hard-stop', undefined), diagnosis: MAGSCAN_DIAGNOSIS };
    }
    const bruteforceUntil = !ticket && request?.account ? bruteforceHold(key, request.account, at) : undefined;
    if (bruteforceUntil !== undefined) {
      return { ...statusOf(key, state, attemptsLeft, false, 'blocked', 'threshold', bruteforceUntil), consequence: undefined };
    }

    // Held back by what a person can go past with a ticket…
    let personalReason: FloodReason | undefined;
    let personalRetryAt: number | undefined;
    if (state.hardStop) personalReason = 'hard-stop';
    else if (attemptsLeft === 0) {
      personalReason = 'threshold';
      personalRetryAt = state.lastFailureAt === undefined ? undefined : state.lastFailureAt + thresholds.quietMs + SAFETY_MS;
    }
    // …and by time, which nobody can.
    let timedReason: FloodReason | undefined;
    let timedRetryAt = 0;
    let timedLevel: FloodLevel = countLevel;
    if (state.blockedUntil !== undefined) {
      timedReason = 'panel-block';
      timedRetryAt = state.blockedUntil;
      timedLevel = 'blocked';
    } else if (state.retryAfterUntil !== undefined) {
      timedReason = 'retry-after';
      timedRetryAt = state.retryAfterUntil;
      timedLevel = 'blocked';
    } else if (state.backoffUntil !== undefined) {
      // A person's ticket goes past the backoff, not past its minimum gap (a strict panel's 2-second chain).
      const until =
        ticket && state.lastFailureAt !== undefined ? Math.min(state.backoffUntil, state.lastFailureAt + backoff.minMs) : state.backoffUntil;
      if (until > at) {
        timedReason = 'backoff';
        timedRetryAt = until;
      }
    }

    const level: FloodLevel = personalReason ? 'blocked' : timedLevel;
    if (personalReason === 'hard-stop' && !ticket) return statusOf(key, state, attemptsLeft, false, level, 'hard-stop', undefined);
    if (timedReason) {
      const retryAt = personalRetryAt !== undefined && !ticket ? Math.max(personalRetryAt, timedRetryAt) : timedRetryAt;
      const reason = timedLevel === 'blocked' ? timedReason : personalReason && !ticket ? personalReason : timedReason;
      return statusOf(key, state, attemptsLeft, false, level, reason, retryAt);
    }
    if (personalReason) {
      return ticket
        ? statusOf(key, state, attemptsLeft, true, level, personalReason, undefined)
        : statusOf(key, state, attemptsLeft, false, level, personalReason, personalRetryAt);
    }
    if (!ticket && state.slots.length >= attemptsLeft) {
      // Every failure still allowed may already be on its way: wait for one to settle.
      let oldest = Infinity;
      for (const slot of state.slots) oldest = Math.min(oldest, slot.at);
      return statusOf(key, state, attemptsLeft, false, level, 'backoff', oldest + FLOOD_SLOT_TTL_MS);
    }
    return statusOf(key, state, attemptsLeft, true, level, undefined, undefined);
  }

  /**
   * When a new distinct account would be the one that makes the panel ban the IP (the 10th username, the 5th
   * MAC failing within 300 s): the time the oldest of those failures leaves the window. Undefined otherwise.
   */
  function bruteforceHold(key: string, account: NonNullable<FloodRequest['account']>, at: number): number | undefined {
    const accounts = failedAccounts.get(key);
    if (!accounts || goodAccounts.get(key)?.has(`${account.kind}:${account.id}`)) return undefined;
    const limit = account.kind === 'mac' ? bruteforceRules.macs : bruteforceRules.usernames;
    let distinct = 0;
    let oldest = Infinity;
    for (const [id, when] of accounts) {
      if (at - when > bruteforceRules.windowMs) {
        accounts.delete(id);
        continue;
      }
      if (id === `${account.kind}:${account.id}`) return undefined; // an account already counted adds nothing
      if (id.startsWith(`${account.kind}:`)) {
        distinct++;
        oldest = Math.min(oldest, when);
      }
    }
    return distinct >= limit - 1 ? oldest + bruteforceRules.windowMs + SAFETY_MS : undefined;
  }

  function noteAccount(key: string, slot: string | undefined, outcome: FloodOutcome, at: number): void {
    if (slot === undefined) return;
    const account = slotAccounts.get(slot);
    if (account === undefined) return;
    slotAccounts.delete(slot);
    if (outcome === null || outcome === 'success') {
      failedAccounts.get(key)?.delete(account);
      let good = goodAccounts.get(key);
      if (!good) goodAccounts.set(key, (good = new Set()));
      good.add(account);
      if (good.size > 16) good.delete(good.values().next().value!);
      return;
    }
    if (typeof outcome !== 'object' || !isLoginFailure(outcome)) return;
    let accounts = failedAccounts.get(key);
    if (!accounts) failedAccounts.set(key, (accounts = new Map()));
    accounts.delete(account);
    accounts.set(account, at);
    if (accounts.size > 64) accounts.delete(accounts.keys().next().value!);
  }

  function backoffWait(streak: number): number {
    const exponent = Math.min(Math.max(streak - 1, 0), 30);
    const jitter = Math.min(Math.max(random(), 0), 1);
    return Math.min(backoff.maxMs, backoff.minMs + jitter * backoff.baseMs * 2 ** exponent);
  }

  /**
   * Settles `slot`, or without one the oldest slot this guard reserved: a guard cannot know that another tab's
   * request has finished.
   */
  function settle(state: FloodState, slot: string | undefined): FloodState {
    if (state.slots.length === 0) return state;
    const index = slot === undefined ? state.slots.findIndex((candidate) => candidate.id.endsWith(ownSlotSuffix)) : state.slots.findIndex((candidate) => candidate.id === slot);
    if (state.slots.length === 1 && index === 0) return { ...state, slots: EMPTY_FLOOD_STATE.slots };
    if (index === -1) return state;
    const slots = state.slots.slice();
    slots.splice(index, 1);
    return { ...state, slots };
  }

  function applyOutcome(state: FloodState, outcome: FloodOutcome, at: number): FloodState {
    if (outcome === null || outcome === 'success') {
      return { ...state, failures: 0, streak: 0, lastFailureAt: undefined, backoffUntil: undefined, blockedUntil: undefined, hardStop: undefined, diagnosis: undefined };
    }
    if (outcome === 'neutral') return state.streak === 0 ? state : { ...state, streak: 0 };
    const diagnosis = typeof outcome === 'object' ? outcome : undefined;
    // Timeouts right after the panel's empty 403: its firewall now drops this IP. Waiting by itself won't help.
    if (diagnosis && followsPanelBlock(diagnosis, state.diagnosis, state.lastFailureAt, at, thresholds.quietMs)) {
      return { ...state, streak: state.streak + 1, hardStop: true, backoffUntil: later(state.backoffUntil, at + backoffWait(state.streak + 1)) };
    }
    // Billing calls are not the panel's, and a non-error changes nothing.
    if (diagnosis && (diagnosis.endpoint?.kind === 'stream-api' || diagnosis.retry === 'not-an-error')) {
      return state.streak === 0 ? state : { ...state, streak: 0 };
    }
    const streak = state.streak + 1;
    let next: FloodState = { ...state, streak, backoffUntil: later(state.backoffUntil, at + backoffWait(streak)) };
    if (diagnosis?.retryAfterMs !== undefined && diagnosis.retryAfterMs > 0) {
      next = { ...next, retryAfterUntil: later(next.retryAfterUntil, at + Math.min(diagnosis.retryAfterMs, backoff.retryAfterCapMs)) };
    }
    if (diagnosis && !addsNoExplanation(diagnosis, state.diagnosis)) next = { ...next, diagnosis: diagnosisFacts(diagnosis) };
    const counts = diagnosis ? diagnosis.flood !== 'none' : true;
    if (counts) {
      const failures = state.failures + 1;
      next = { ...next, failures, lastFailureAt: at };
      if (failures >= thresholds.extended) {
        next = { ...next, blockedUntil: later(next.blockedUntil, at + thresholds.extendedMs + SAFETY_MS) };
      } else if (state.failures < thresholds.block && failures >= thresholds.block) {
        next = { ...next, blockedUntil: later(next.blockedUntil, at + thresholds.blockMs + SAFETY_MS) };
      }
    }
    if (diagnosis && mirrorsPanelBlock(diagnosis, state.failures, thresholds.warn)) {
      const blockMs = next.failures >= thresholds.extended ? thresholds.extendedMs : thresholds.blockMs;
      next = { ...next, blockedUntil: later(next.blockedUntil, at + blockMs + SAFETY_MS) };
    }
    if (diagnosis?.definitive) next = { ...next, hardStop: true };
    return next;
  }

  function notify(key: string, status: FloodStatus): void {
    const set = listeners.get(key);
    if (!set) return;
    for (const listener of set) {
      try {
        listener(status);
      } catch {
        /* a listener's failure is its own */
      }
    }
  }

  let unsubscribeStore: (() => void) | undefined;
  function watchStore(): void {
    if (unsubscribeStore || !store.subscribe) return;
    unsubscribeStore = store.subscribe((key) => {
      if (!listeners.has(key)) return;
      void check(key).then((status) => notify(key, status), () => undefined);
    });
  }

  async function check(key: string, request?: FloodRequest): Promise<FloodStatus> {
    const at = now();
    const state = normalize((await store.get(key)) ?? EMPTY_FLOOD_STATE, at);
    return evaluate(key, state, at, request);
  }

  /**
   * Runs one atomic change and notifies when the state changed. Answers the status it left —
   * computed only when `wanted` or listened to (`begin` answers its own ticket). The store may run
   * `apply` more than once (FloodStore): what the last run found is what counts.
   */
  async function change(
    key: string,
    apply: (state: FloodState, at: number) => FloodState,
    wanted = true,
    exclusive?: () => boolean,
  ): Promise<FloodStatus | undefined> {
    let changed = false;
    let status: FloodStatus | undefined;
    const listened = listeners.has(key);
    await store.update(
      key,
      (current) => {
        const at = now();
        const normalized = normalize(current ?? EMPTY_FLOOD_STATE, at);
        const next = apply(normalized, at);
        status = wanted || listened ? evaluate(key, next, at) : undefined;
        changed = !(next === normalized && normalized === (current ?? EMPTY_FLOOD_STATE));
        return changed ? next : current;
      },
      exclusive ? { exclusive } : undefined,
    );
    if (changed && listeners.has(key)) notify(key, status ?? (await check(key)));
    return status;
  }

  return {
    thresholds,
    margin,
    now,
    check,
    async begin(key, request) {
      if (isExemptRequest(request)) return check(key, request);
      let ticket: FloodTicket | undefined;
      /** Whether this begin leaves so few requests to spare that tabs must take turns for it (see FloodUpdateOptions). */
      let contended = false;
      await change(
        key,
        (state, at) => {
          const status = evaluate(key, state, at, request);
          contended = false;
          if (!status.allowed) {
            ticket = status;
            return state;
          }
          const slot: FloodSlot = { id: `${at.toString(36)}-${(++slotCounter).toString(36)}-${instance}`, at };
          const next: FloodState = { ...state, tickets: 0, slots: state.slots.length === 0 ? [slot] : [...state.slots, slot] };
          contended = attemptsLeftAt(next.failures) - next.slots.length < CONTENDED_SPARE;
          const granted = evaluate(key, next, at, request) as { -readonly [K in keyof FloodTicket]: FloodTicket[K] };
          granted.allowed = true;
          granted.slot = slot.id;
          ticket = granted;
          return next;
        },
        false,
        () => contended,
      );
      if (ticket!.slot !== undefined && request?.account) {
        slotAccounts.set(ticket!.slot, `${request.account.kind}:${request.account.id}`);
        if (slotAccounts.size > 256) slotAccounts.delete(slotAccounts.keys().next().value!);
      }
      return ticket!;
    },
    async record(key, outcome, slot) {
      noteAccount(key, slot, outcome, now());
      return (await change(key, (state, at) => applyOutcome(settle(state, slot), outcome, at)))!;
    },
    async allowOnce(key) {
      return (await change(key, (state) => (state.tickets > 0 ? state : { ...state, tickets: 1 })))!;
    },
    async reset(key, resetOptions) {
      const status = await change(key, (state) => {
        if (resetOptions?.hardStopOnly) return state.hardStop ? { ...state, hardStop: undefined } : state;
        const next: FloodState = { ...state, hardStop: undefined, backoffUntil: undefined, streak: 0 };
        return attemptsLeftAt(next.failures) === 0 ? { ...next, tickets: 1 } : next;
      });
      return status!;
    },
    async snapshot() {
      const keys = await store.keys();
      const entries = await Promise.all(keys.map(async (key) => [key, await check(key)] as const));
      return Object.fromEntries(entries);
    },
    subscribe(key, listener) {
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      set.add(listener);
      watchStore();
      return () => {
        set!.delete(listener);
        if (set!.size === 0) listeners.delete(key);
        if (listeners.size === 0) {
          unsubscribeStore?.();
          unsubscribeStore = undefined;
        }
      };
    },
    keyFor(url) {
      const text = String(url);
      const known = keys.get(text);
      if (known !== undefined) return known;
      let host: string;
      try {
        // A relative URL is the page's own host (location exists in pages and workers, not in Node).
        const base = (globalThis as { location?: { href?: string } }).location?.href;
        host = new URL(text, base).hostname.toLowerCase();
      } catch {
        host = '';
      }
      const key = Object.prototype.hasOwnProperty.call(groups, host) ? groups[host]! : host;
      if (keys.size >= KEY_CACHE_SIZE) keys.delete(keys.keys().next().value!);
      keys.set(text, key);
      return key;
    },
  };
}

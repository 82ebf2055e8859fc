import type { Diagnosis } from '../types.js';

/** One request a guard let through and has not heard back about yet. */
export interface FloodSlot {
  readonly id: string;
  /** When it was reserved (ms); an unsettled slot lapses after the guard's slot lifetime. */
  readonly at: number;
}

/**
 * What a guard remembers about one key (a panel's host, or a configured group of hosts).
 * Plain JSON: no credentials, no server text — the diagnosis is kept as facts only.
 */
export interface FloodState {
  readonly v: 1;
  /** Failures the panel has counted, as far as the guard knows. */
  readonly failures: number;
  readonly lastFailureAt?: number;
  /** Consecutive failures of any kind (also the uncounted ones) — drives the backoff. */
  readonly streak: number;
  readonly backoffUntil?: number;
  /** The panel's own block, mirrored. */
  readonly blockedUntil?: number;
  readonly retryAfterUntil?: number;
  /** A definitive failure: no time lifts it, only `reset` or a success. */
  readonly hardStop?: boolean;
  /** `allowOnce` tickets waiting (0 or 1). */
  readonly tickets: number;
  readonly slots: readonly FloodSlot[];
  /** The last failure's facts (no server text, no URL), for the banner and FloodBlockedError. */
  readonly diagnosis?: Diagnosis;
}

export type FloodStateChange = (current: FloodState | undefined) => FloodState | undefined;

export interface FloodUpdateOptions {
  /**
   * Asked after `change` ran: whether its result must not be computed concurrently with another tab's update
   * of the key. The guard answers true for a `begin` that leaves few requests to spare, where two tabs deciding
   * at once could together send more than the failures left. Stores whose updates are always exclusive ignore it.
   */
  readonly exclusive?: () => boolean;
}

/**
 * Where guards keep their state. `update` must be atomic per key: its result is computed from the latest state,
 * with no other update of that key in between — 200 concurrent updates of one key must all land. A store may
 * call `change` more than once (the Web Storage store computes it again under a Web Lock when the first result
 * needs one); only the last call's result is written, so `change` must have no effect besides its result.
 */
export interface FloodStore {
  get(key: string): Promise<FloodState | undefined>;
  /** Applies `change` atomically; returning the same object means "unchanged" (no write). */
  update(key: string, change: FloodStateChange, options?: FloodUpdateOptions): Promise<FloodState | undefined>;
  keys(): Promise<string[]>;
  /** Changes made elsewhere (another tab, another context); own writes are not reported. */
  subscribe?(listener: (key: string) => void): () => void;
  close?(): void;
}

export const EMPTY_FLOOD_STATE: FloodState = Object.freeze({ v: 1, failures: 0, streak: 0, tickets: 0, slots: Object.freeze([]) });

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Reads stored JSON back into a FloodState; anything malformed becomes "no state". */
export function parseFloodState(text: string | null | undefined): FloodState | undefined {
  if (!text) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  return reviveFloodState(raw);
}

/** Validates a structured-cloned or parsed value as a FloodState. */
export function reviveFloodState(raw: unknown): FloodState | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const value = raw as Record<string, unknown>;
  if (value.v !== 1) return undefined;
  const slots = Array.isArray(value.slots)
    ? value.slots.filter(
        (slot): slot is FloodSlot =>
          !!slot && typeof slot === 'object' && typeof (slot as FloodSlot).id === 'string' && finite((slot as FloodSlot).at) !== undefined,
      )
    : [];
  const diagnosis = value.diagnosis && typeof value.diagnosis === 'object' && typeof (value.diagnosis as Diagnosis).code === 'string'
    ? (value.diagnosis as Diagnosis)
    : undefined;
  return {
    v: 1,
    failures: Math.max(0, Math.floor(finite(value.failures) ?? 0)),
    lastFailureAt: finite(value.lastFailureAt),
    streak: Math.max(0, Math.floor(finite(value.streak) ?? 0)),
    backoffUntil: finite(value.backoffUntil),
    blockedUntil: finite(value.blockedUntil),
    retryAfterUntil: finite(value.retryAfterUntil),
    hardStop: value.hardStop === true ? true : undefined,
    tickets: Math.max(0, Math.min(1, Math.floor(finite(value.tickets) ?? 0))),
    slots,
    diagnosis,
  };
}

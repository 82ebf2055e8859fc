/** The one flood guard of the extension: the core guard over storage.local, pausing 3 short of each block. */
import browser from 'webextension-polyfill';
import { createFloodGuard, defaultFloodBackoff, type FloodStatus } from '../../core/flood-guard.js';
import { EXTENSION_FLOOD_MARGIN, TEST_BACKOFF, TEST_THRESHOLDS } from '../shared/build-flags.js';
import type { HostView } from '../shared/messages.js';
import { sanitizeDiagnosis } from '../shared/sanitize.js';
import { createStorageFloodStore } from './flood-store.js';

/** The guard's store (the background is its only writer); rules.ts reads the raw times to schedule alarms. */
export const floodStore = createStorageFloodStore(browser.storage.local);

/** The longest wait after a failure (the shipped build: the core's 60 s). */
export const backoffMaxMs = (TEST_BACKOFF ?? defaultFloodBackoff).maxMs ?? defaultFloodBackoff.maxMs;

export const guard = createFloodGuard({
  margin: EXTENSION_FLOOD_MARGIN,
  store: floodStore,
  // Only test builds set these (see build-flags.ts); the shipped build keeps the panel's durations.
  ...(TEST_THRESHOLDS ? { thresholds: TEST_THRESHOLDS } : {}),
  ...(TEST_BACKOFF ? { backoff: TEST_BACKOFF } : {}),
});

export function viewOf(status: FloodStatus): HostView {
  return {
    host: status.key,
    level: status.level,
    allowed: status.allowed,
    failures: status.failures,
    attemptsLeft: status.attemptsLeft,
    at: Date.now(),
    // A countdown only for a wait that is enforced: the session rules hold requests only while held (isHeld);
    // the backoff after a single failure is the page's to keep, and a banner must not promise it.
    retryAt: isHeld(status) ? status.retryAt : undefined,
    reason: status.reason,
    ticket: status.ticket,
    consequence: status.consequence,
    diagnosis: status.diagnosis ? sanitizeDiagnosis(status.diagnosis) : undefined,
  };
}

export async function viewsOf(hosts: readonly string[]): Promise<HostView[]> {
  return Promise.all(hosts.map(async (host) => viewOf(await guard.check(host))));
}

/** Whether requests to this host are held back now (what the session rule enforces). */
export function isHeld(status: FloodStatus): boolean {
  return status.level === 'blocked' && !status.allowed;
}

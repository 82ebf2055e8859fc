/**
 * declarativeNetRequest session rules mirror the guard: while a panel host is paused or blocked, its API
 * and stream requests are blocked (never the portal's pages, never Stream API billing) until `retryAt`.
 * Alarms — not timers, which die with the service worker — bring the next reconciliation at `retryAt`.
 * Every change goes through `reconcile()`, which rebuilds the rules from storage in one atomic update.
 */
import browser from 'webextension-polyfill';
import { panelRegexFilters } from '../shared/hosts.js';
import type { HostView } from '../shared/messages.js';
import type { FloodStatus } from '../../core/flood-guard.js';
import type { FloodState } from '../../core/stores/types.js';
import { floodStore, guard, isHeld, viewOf } from './guard.js';
import { allTabs } from './tabs.js';

const ALARM_PREFIX = 'xtream-error-ux:unblock:';

type Rule = Parameters<typeof browser.declarativeNetRequest.updateSessionRules>[0]['addRules'] extends (infer R)[] | undefined ? R : never;

function rulesFor(firstId: number, host: string): Rule[] {
  return panelRegexFilters(host).map(
    (regexFilter, index) =>
      ({
        id: firstId + index,
        priority: 1,
        action: { type: 'block' },
        condition: { regexFilter, isUrlFilterCaseSensitive: true, excludedResourceTypes: ['main_frame', 'sub_frame'] },
      }) as Rule,
  );
}

let queue: Promise<unknown> = Promise.resolve();
let lastViews = new Map<string, string>();

export type ViewsListener = (views: ReadonlyMap<string, HostView>, changed: ReadonlySet<string>) => void;
const listeners = new Set<ViewsListener>();
export function onViewsChanged(listener: ViewsListener): void {
  listeners.add(listener);
}

/** Rebuilds session rules, alarms and badges from the stored guard state. Serialized. */
export function reconcile(): Promise<void> {
  const run = queue.then(async () => {
    const snapshot = await guard.snapshot();
    const held = Object.values(snapshot).filter(isHeld);
    const existing = await browser.declarativeNetRequest.getSessionRules();
    await browser.declarativeNetRequest.updateSessionRules({
      removeRuleIds: existing.map((rule) => rule.id),
      addRules: held.flatMap((status, index) => rulesFor(index * 10 + 1, status.key)),
    });

    const alarms = await browser.alarms.getAll();
    const wanted = new Map<string, number>();
    for (const status of held) {
      const when = nextChange(status, await floodStore.get(status.key));
      if (when !== undefined) wanted.set(ALARM_PREFIX + status.key, when);
    }
    for (const alarm of alarms) {
      if (alarm.name.startsWith(ALARM_PREFIX) && wanted.get(alarm.name) !== alarm.scheduledTime) await browser.alarms.clear(alarm.name);
    }
    for (const [name, when] of wanted) {
      if (!alarms.some((alarm) => alarm.name === name && alarm.scheduledTime === when)) browser.alarms.create(name, { when });
    }

    const views = new Map(Object.entries(snapshot).map(([key, status]) => [key, viewOf(status)]));
    const changed = new Set<string>();
    const serialized = new Map<string, string>();
    for (const [key, view] of views) {
      const text = JSON.stringify(view);
      serialized.set(key, text);
      if (lastViews.get(key) !== text) changed.add(key);
    }
    for (const key of lastViews.keys()) if (!views.has(key)) changed.add(key);
    lastViews = serialized;
    await updateBadges(views);
    for (const listener of listeners) listener(views, changed);
  });
  queue = run.catch((error: unknown) => console.warn('xtream-error-ux: reconcile failed', error instanceof Error ? error.message : 'error'));
  return run;
}

/**
 * When a held host's state may next change by itself: the earliest of its timed waits still ahead — not
 * only `retryAt` (their latest). A "try anyway" ticket at a pause waits for the short backoff, so the rule
 * must be rebuilt when that ends, not when the quiet hour does.
 */
function nextChange(status: FloodStatus, state: FloodState | undefined): number | undefined {
  const now = Date.now();
  const times = [status.retryAt, state?.backoffUntil, state?.retryAfterUntil, state?.blockedUntil].filter(
    (time): time is number => time !== undefined && time > now,
  );
  // Whole milliseconds: browsers keep alarm times as integers, and an unchanged alarm is left alone.
  return times.length ? Math.ceil(Math.min(...times)) : undefined;
}

export function isUnblockAlarm(name: string): boolean {
  return name.startsWith(ALARM_PREFIX);
}

const BADGE: Record<HostView['level'], { text: (view: HostView) => string; color: string }> = {
  ok: { text: () => '', color: '#2563eb' },
  warning: { text: (view) => String(view.failures), color: '#b45309' },
  blocked: { text: () => '×', color: '#b91c1c' },
};
const RANK: Record<HostView['level'], number> = { ok: 0, warning: 1, blocked: 2 };

async function updateBadges(views: ReadonlyMap<string, HostView>): Promise<void> {
  for (const [tabId, info] of await allTabs()) {
    let worst: HostView | undefined;
    for (const host of info.hosts) {
      const view = views.get(host);
      if (view && (!worst || RANK[view.level] > RANK[worst.level])) worst = view;
    }
    const badge = BADGE[worst?.level ?? 'ok'];
    try {
      await browser.action.setBadgeText({ tabId, text: worst ? badge.text(worst) : '' });
      await browser.action.setBadgeBackgroundColor({ tabId, color: badge.color });
    } catch {
      /* the tab is gone */
    }
  }
}

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
/** Views as last reconciled (without `at`), to tell which hosts changed. */
let lastViews = new Map<string, string>();
/** The held hosts whose rules are in place, as last applied ('' none); undefined until this worker applied them. */
let appliedRules: string | undefined;
/** The unblock alarms as last set; undefined until this worker set them. */
let appliedAlarms: Map<string, number> | undefined;

export type ViewsListener = (views: ReadonlyMap<string, HostView>, changed: ReadonlySet<string>) => void;
const listeners = new Set<ViewsListener>();
export function onViewsChanged(listener: ViewsListener): void {
  listeners.add(listener);
}

function sameAlarms(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number> | undefined): boolean {
  return !!b && a.size === b.size && [...a].every(([name, when]) => b.get(name) === when);
}

/**
 * Rebuilds session rules, alarms and badges from the stored guard state. Serialized. Each browser call is
 * made only when what it sets differs from what this worker last set (a fresh worker sets everything once):
 * most reconciliations follow a request that changed nothing held.
 */
export function reconcile(): Promise<void> {
  const run = queue.then(async () => {
    const snapshot = await guard.snapshot();
    const held = Object.values(snapshot).filter(isHeld);
    const signature = held.map((status) => status.key).join(' ');
    if (signature !== appliedRules) {
      const existing = await browser.declarativeNetRequest.getSessionRules();
      await browser.declarativeNetRequest.updateSessionRules({
        removeRuleIds: existing.map((rule) => rule.id),
        addRules: held.flatMap((status, index) => rulesFor(index * 10 + 1, status.key)),
      });
      appliedRules = signature;
    }

    const wanted = new Map<string, number>();
    for (const status of held) {
      const when = nextChange(status, await floodStore.get(status.key));
      if (when !== undefined) wanted.set(ALARM_PREFIX + status.key, when);
    }
    if (!sameAlarms(wanted, appliedAlarms)) {
      const alarms = await browser.alarms.getAll();
      for (const alarm of alarms) {
        if (alarm.name.startsWith(ALARM_PREFIX) && wanted.get(alarm.name) !== alarm.scheduledTime) await browser.alarms.clear(alarm.name);
      }
      for (const [name, when] of wanted) {
        if (!alarms.some((alarm) => alarm.name === name && alarm.scheduledTime === when)) browser.alarms.create(name, { when });
      }
      appliedAlarms = wanted;
    }

    const views = new Map(Object.entries(snapshot).map(([key, status]) => [key, viewOf(status)]));
    const changed = new Set<string>();
    const serialized = new Map<string, string>();
    for (const [key, view] of views) {
      const text = JSON.stringify({ ...view, at: 0 });
      serialized.set(key, text);
      if (lastViews.get(key) !== text) changed.add(key);
    }
    for (const key of lastViews.keys()) if (!views.has(key)) changed.add(key);
    lastViews = serialized;
    await updateBadges(views);
    for (const listener of listeners) listener(views, changed);
  });
  queue = run.catch((error: unknown) => {
    appliedRules = undefined;
    appliedAlarms = undefined;
    console.warn('xtream-error-ux: reconcile failed', error instanceof Error ? error.message : 'error');
  });
  return run;
}

/** An unblock alarm fired (it is gone): reconcile, setting the next one if the host is still held. */
export function onUnblockAlarm(name: string): Promise<void> {
  appliedAlarms?.delete(name);
  return reconcile();
}

/**
 * When a held host's state may next change by itself: the earliest of its timed waits still ahead — not
 * only `retryAt` (their latest). A "try anyway" ticket at a pause waits for the short backoff, so the rule
 * must be rebuilt when that ends, not when the quiet hour does.
 */
function nextChange(status: FloodStatus, state: FloodState | undefined): number | undefined {
  const now = Date.now();
  const times = [state?.backoffUntil, state?.retryAfterUntil, state?.blockedUntil].filter(
    (time): time is number => time !== undefined && time > now,
  );
  // The status's own end, even when it passed between the snapshot and now: an alarm must still come to lift it.
  if (status.retryAt !== undefined) times.push(Math.max(status.retryAt, now + 1));
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

/** What each tab's badge shows, as last set by this worker. */
const badges = new Map<number, string>();

/** A tab loaded a page (its badge may have been reset by the navigation): set it again at the next reconciliation. */
export function forgetBadge(tabId: number): void {
  badges.delete(tabId);
}

async function updateBadges(views: ReadonlyMap<string, HostView>): Promise<void> {
  const tabs = await allTabs();
  for (const tabId of badges.keys()) if (!tabs.some(([id]) => id === tabId)) badges.delete(tabId);
  for (const [tabId, info] of tabs) {
    let worst: HostView | undefined;
    for (const host of info.hosts) {
      const view = views.get(host);
      if (view && (!worst || RANK[view.level] > RANK[worst.level])) worst = view;
    }
    const badge = BADGE[worst?.level ?? 'ok'];
    const text = worst ? badge.text(worst) : '';
    if (badges.get(tabId) === `${text}|${badge.color}`) continue;
    try {
      await browser.action.setBadgeText({ tabId, text });
      await browser.action.setBadgeBackgroundColor({ tabId, color: badge.color });
      badges.set(tabId, `${text}|${badge.color}`);
    } catch {
      badges.delete(tabId); // the tab is gone
    }
  }
}

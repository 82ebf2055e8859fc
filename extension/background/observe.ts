/**
 * Observation on enabled sites. Each failure is counted once:
 * - statuses (401, 403, 404 on the API, 429 …) from webRequest.onHeadersReceived, which also sees streams
 *   that never complete;
 * - body-only failures (200 with `auth: 0`, Stalker text) from the main-world tap, whose reports may only
 *   add failures for the panel hosts webRequest saw that tab talk to.
 * A tap report about a status failure is never counted: its body only explains the status (same entry id).
 *
 * Successes reset the count (as the panel does):
 * - a stream answering 200/206 (not an m3u8: a masked panel's "expired" playlist answers 200), seen by webRequest, is trusted: it resets the count and lifts any pause;
 * - a body-only success (player_api `user_info.auth` 1 and Active, a Stalker profile with status 0) comes from
 *   the tap, which the page could forge. It resets the count only when all of these hold (onLoginSeen):
 *   webRequest itself saw a 2xx for that tab and URL, not yet matched with another report; the guard is not
 *   paused, blocked or hard-stopped (it never lifts a pause); and no failure webRequest counted (a status:
 *   trusted) happened since the count last started — so a page can take back only failures the page itself
 *   reported, which it could as well have never reported.
 * Every change of a host's count goes through `withHost`, so such a check and its reset are atomic.
 */
import browser, { type WebRequest } from 'webextension-polyfill';
import { classify } from '../../core/classify.js';
import { isApiEndpoint, isPanelEndpoint } from '../../core/endpoints.js';
import { isReplacementEndpoint, isStreamPlaylist, provesLogin as bodyProvesLogin, streamAnswered } from '../../core/panel-rules.js';
import { redactUrl } from '../../core/redact.js';
import type { FloodStatus } from '../../core/flood-guard.js';
import type { Diagnosis, Endpoint } from '../../core/types.js';
import { createEndpointMemo } from '../shared/endpoint-memo.js';
import { hostOf as parseHost } from '../shared/hosts.js';
import type { HostView, RecentEntry, TapReport } from '../shared/messages.js';
import { sanitizeDiagnosis } from '../shared/sanitize.js';
import { TRUSTED_PREFIX } from '../shared/storage.js';
import { keyedQueue, wakeups } from './waits.js';
import { backoffMaxMs, guard, viewOf } from './guard.js';
import { remember } from './recent.js';
import { onViewsChanged, reconcile } from './rules.js';
import { noteTabHost, tabInfo, tabKnows, waitForTabHost } from './tabs.js';

const describeEndpoint = createEndpointMemo();

const OBSERVED_TYPES: WebRequest.ResourceType[] = ['xmlhttprequest', 'media', 'other', 'object'];
export const OBSERVED_FILTER: WebRequest.RequestFilter = { urls: ['http://*/*', 'https://*/*'], types: OBSERVED_TYPES };

/**
 * Status failures of one tab, URL and status, matched one for one with the tap's reports of them — in memory
 * only, for a few seconds. A report waits for its own failure to be recorded (a loop repeats the same URL).
 */
interface StatusNote {
  at: number;
  /** Entry ids of the failures webRequest recorded, in order. */
  recorded: string[];
  /** How many of them a tap report has already been matched with. */
  matched: number;
  /** Explanations the tap brought before webRequest recorded their failure. */
  early: Diagnosis[];
}
const STATUS_NOTE_MS = 5_000;
const statusNotes = new Map<string, StatusNote>();
const statusWaiters = wakeups();
const countedRequests = new Set<string>();

function noteKey(tabId: number, url: string, status: number): string {
  return `${tabId}|${redactUrl(url)}|${status}`;
}

function prune(now: number): void {
  for (const [key, note] of statusNotes) if (now - note.at > STATUS_NOTE_MS) statusNotes.delete(key);
}

/** Runs one host's count changes one at a time (a check and the record it decides stay together). */
const withHost = keyedQueue();

/**
 * What webRequest itself saw fail for a host (`trusted:<host>` in storage.local), which a body-only success may
 * not take back: `at`, the last failure the panel counts; `waitAt`, the last failure of any kind (a 5xx or a
 * network error is not counted, yet sets the backoff). Written before the failure is recorded, removed by a
 * trusted success.
 */
interface TrustedFailures {
  at?: number;
  waitAt?: number;
}
async function trustedFailures(host: string): Promise<TrustedFailures> {
  const key = TRUSTED_PREFIX + host;
  const value = (await browser.storage.local.get(key))[key] as { at?: unknown; waitAt?: unknown } | undefined;
  return { at: typeof value?.at === 'number' ? value.at : undefined, waitAt: typeof value?.waitAt === 'number' ? value.waitAt : undefined };
}

/** Records a failure; `trusted` when webRequest saw it (a status), not the page's tap. */
function recordFailure(host: string, diagnosis: Diagnosis, trusted: boolean): Promise<FloodStatus> {
  return withHost(host, async () => {
    if (trusted) {
      const now = Date.now();
      const before = await trustedFailures(host);
      await browser.storage.local.set({ [TRUSTED_PREFIX + host]: { at: diagnosis.flood !== 'none' ? now : before.at, waitAt: now } });
    }
    return guard.record(host, diagnosis);
  });
}

/**
 * 2xx answers webRequest saw on panel API URLs (tab + redacted URL → times), for a few seconds, only for hosts
 * with failures: a body-only success must match one of them, one for one.
 */
const OK_NOTE_MS = 5_000;
const okNotes = new Map<string, number[]>();
const okWaiters = wakeups();
let hostsWithFailures: ReadonlySet<string> | undefined;
onViewsChanged((views) => {
  hostsWithFailures = new Set([...views.values()].filter((view) => view.failures > 0 || view.level !== 'ok').map((view) => view.host));
});

function noteOk(tabId: number, url: string, host: string): void {
  if (hostsWithFailures && !hostsWithFailures.has(host)) return;
  const now = Date.now();
  if (okNotes.size > 200) {
    for (const [key, times] of okNotes) if (now - times[times.length - 1]! > OK_NOTE_MS) okNotes.delete(key);
  }
  const key = `${tabId}|${redactUrl(url)}`;
  const times = (okNotes.get(key) ?? []).filter((at) => now - at <= OK_NOTE_MS);
  times.push(now);
  okNotes.set(key, times);
  okWaiters.wake(key);
}

/** Takes one 2xx webRequest saw for this tab and (redacted) URL; waits briefly, as a report can overtake it. */
async function claimOk(tabId: number, url: string, timeoutMs = 500): Promise<boolean> {
  const key = `${tabId}|${url}`;
  const take = () => {
    const now = Date.now();
    const times = (okNotes.get(key) ?? []).filter((at) => now - at <= OK_NOTE_MS);
    if (!times.length) return false;
    times.shift();
    if (times.length) okNotes.set(key, times);
    else okNotes.delete(key);
    return true;
  };
  if (take()) return true;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await okWaiters.wait(key, deadline);
    if (take()) return true;
  }
  return false;
}

/** Whether a (redacted) 200 body proves a successful authentication (core/panel-rules.ts decides what does). */
function provesLogin(body: string, endpoint: Endpoint): boolean {
  try {
    return bodyProvesLogin(endpoint, 200, JSON.parse(body));
  } catch {
    return false;
  }
}

/**
 * A body-only success the tap reported (see the rules at the top of this file). Resets the count only while
 * nothing is held, only when webRequest saw that 2xx, and only when no status failure webRequest counted is
 * in the count. Answers whether it reset.
 */
async function onLoginSeen(tabId: number, host: string, url: string): Promise<boolean> {
  if (hostsWithFailures && !hostsWithFailures.has(host)) return false; // nothing to reset (and no 2xx was noted)
  if (!(await claimOk(tabId, url))) return false;
  return withHost(host, async () => {
    const status = await guard.check(host);
    if (status.failures === 0 && status.level === 'ok') return false;
    if (status.level === 'blocked') return false; // a pause, a block, a hard stop: only a trusted success or time
    const trusted = await trustedFailures(host);
    if (trusted.at !== undefined && Date.now() - trusted.at <= guard.thresholds.quietMs + 1_000) return false;
    // Nor the backoff a failure webRequest saw has set (counted or not: a 5xx, a network error).
    if (trusted.waitAt !== undefined && Date.now() - trusted.waitAt <= backoffMaxMs + 1_000) return false;
    await guard.record(host, 'success');
    return true;
  });
}

let sequence = 0;
function entryId(): string {
  sequence = (sequence + 1) % 1e9;
  return `${Date.now().toString(36)}-${sequence.toString(36)}`;
}

/** Host names of URLs (the last 256): every observed request asks for two. */
const hostNames = new Map<string, string | undefined>();
function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (hostNames.has(url)) return hostNames.get(url);
  const host = parseHost(url);
  if (hostNames.size >= 256) hostNames.delete(hostNames.keys().next().value!);
  hostNames.set(url, host);
  return host;
}

function siteOf(details: { documentUrl?: string; originUrl?: string; initiator?: string }): string | undefined {
  return hostOf(details.documentUrl ?? details.initiator ?? details.originUrl);
}

async function push(tabId: number, entry: RecentEntry, view: HostView): Promise<void> {
  // The page first (the banner is what the viewer waits for), then the recent list.
  try {
    await browser.tabs.sendMessage(tabId, { type: 'diagnosis', entry, view }, { frameId: 0 });
  } catch {
    /* no content script in that tab (yet) */
  }
  await remember(entry);
}

/** Shows a diagnosis in the tab; `status` is the guard's answer to the record that counted it, when at hand. */
async function show(tabId: number, site: string, host: string, diagnosis: Diagnosis, id = entryId(), status?: FloodStatus): Promise<void> {
  const view = viewOf(status ?? (await guard.check(host)));
  await push(tabId, { id, at: Date.now(), site, host, diagnosis: sanitizeDiagnosis(diagnosis) }, view);
}

function headersOf(details: WebRequest.OnHeadersReceivedDetailsType): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const header of details.responseHeaders ?? []) {
    const name = header.name.toLowerCase();
    if (name === 'retry-after' || name === 'date' || name === 'content-type' || name === 'content-length') headers[name] = header.value ?? '';
  }
  return headers;
}

/** Hosts with a "try anyway" ticket waiting, from the last reconciliation (no storage read per request). */
let ticketHosts: ReadonlySet<string> | undefined;
onViewsChanged((views) => {
  ticketHosts = new Set([...views.values()].filter((view) => view.ticket).map((view) => view.host));
  watchTickets(ticketHosts);
});
async function hasTicket(host: string): Promise<boolean> {
  if (!ticketHosts) await reconcile(); // a woken worker learns them once
  return ticketHosts?.has(host) ?? false;
}

/** "Try anyway" lifted the rule for one request: this is it — take the ticket, restore the rule. */
async function takeTicket(host: string, endpoint: Endpoint): Promise<void> {
  if (!(await hasTicket(host))) return;
  const status = await guard.check(host, { kind: endpoint.kind });
  if (!status.ticket) return;
  await guard.begin(host, { kind: endpoint.kind });
  await reconcile();
}

/**
 * The request that takes a ticket is caught when it starts (onBeforeRequest), not when its answer comes, so
 * the rule is back before a second request can follow it. This listener exists only while a ticket waits,
 * and only for the hosts holding one: every listener costs each request it matches a hop to the background.
 * (onHeadersReceived still takes a ticket this one missed — a worker woken by the answer itself.)
 */
let ticketFilterKey = '';
function onTicketRequest(details: WebRequest.OnBeforeRequestDetailsType): void {
  if (details.tabId < 0) return;
  const host = hostOf(details.url);
  const endpoint = describeEndpoint(details.url);
  if (!host || !isPanelEndpoint(endpoint)) return;
  takeTicket(host, endpoint).catch(() => undefined);
}
function watchTickets(hosts: ReadonlySet<string>): void {
  const key = [...hosts].sort().join(' ');
  if (key === ticketFilterKey) return;
  ticketFilterKey = key;
  const event = browser.webRequest.onBeforeRequest;
  if (event.hasListener(onTicketRequest)) event.removeListener(onTicketRequest);
  if (!hosts.size) return;
  const urls = [...hosts].flatMap((host) => [`http://${host}/*`, `https://${host}/*`]);
  event.addListener(onTicketRequest, { urls, types: OBSERVED_TYPES });
}

/**
 * Every observed request comes through here, so the common case — a 2xx from a host this tab is known to use,
 * no ticket waiting, no failures to reset — is decided synchronously from memory: no promise, no storage.
 */
export function onHeadersReceived(details: WebRequest.OnHeadersReceivedDetailsType): Promise<void> | undefined {
  if (details.tabId < 0) return undefined;
  const endpoint = describeEndpoint(details.url);
  if (!isPanelEndpoint(endpoint)) return undefined;
  const host = hostOf(details.url);
  const site = siteOf(details);
  if (!host || !site) return undefined;
  const status = details.statusCode;
  if (status < 400) noteAnswered(details.requestId);
  if (status >= 200 && status < 300 && !isReplacementEndpoint(endpoint)) {
    // Noted before anything awaits: the tap's report of this answer may follow right behind.
    if (isApiEndpoint(endpoint) && !endpoint.bulk) noteOk(details.tabId, details.url, host);
    const streamOk = streamAnswered(endpoint, status);
    const quiet =
      tabKnows(details.tabId, site, host) &&
      ticketHosts !== undefined &&
      !ticketHosts.has(host) &&
      (!streamOk || (hostsWithFailures !== undefined && !hostsWithFailures.has(host)));
    if (quiet) return undefined;
  }
  return headersReceived(details, endpoint, host, site);
}

async function headersReceived(details: WebRequest.OnHeadersReceivedDetailsType, endpoint: Endpoint, host: string, site: string): Promise<void> {
  const status = details.statusCode;
  await noteTabHost(details.tabId, site, host);
  await takeTicket(host, endpoint);
  if (status >= 200 && status < 300 && !isReplacementEndpoint(endpoint)) {
    // A stream answering is a successful authentication (trusted: webRequest saw it): the count restarts,
    // a pause ends. An API 200 proves nothing until its body is read (onLoginSeen).
    if (streamAnswered(endpoint, status)) {
      const reset = await withHost(host, async () => {
        const before = await guard.check(host);
        if (before.failures === 0 && before.level === 'ok') return false;
        await guard.record(host, 'success');
        await browser.storage.local.remove(TRUSTED_PREFIX + host);
        return true;
      });
      if (reset) await reconcile();
    }
    return;
  }
  // Failures, and the replacement video (a 2xx under /auth/: the line is expired, banned or already connected).
  if ((status < 400 && !isReplacementEndpoint(endpoint)) || countedRequests.has(details.requestId)) return;
  countedRequests.add(details.requestId);
  if (countedRequests.size > 500) countedRequests.delete(countedRequests.values().next().value!);

  const diagnosis = classify({ status, url: details.url, headers: headersOf(details) });
  if (!diagnosis) return;
  const key = noteKey(details.tabId, details.url, status);
  prune(Date.now());
  const note: StatusNote = statusNotes.get(key) ?? { at: Date.now(), recorded: [], matched: 0, early: [] };
  statusNotes.set(key, note);
  note.at = Date.now();
  const recorded = await recordFailure(host, diagnosis, true);
  const id = entryId();
  const shown = show(details.tabId, site, host, note.early.shift() ?? diagnosis, id, recorded);
  await reconcile();
  // Only now may the tap's report of it be answered: the session rule is in place.
  note.recorded.push(id);
  statusWaiters.wake(key);
  await shown;
}

/**
 * Requests whose headers arrived with a 1xx–3xx (the last 512): their later network error is not "no connection".
 * (Chromium ends a healthy stream `<video>` cannot decode with net::ERR_FAILED while a responseHeaders listener is
 * installed; a player that tears a stream down mid-body ends it the same way.)
 */
const answeredRequests = new Set<string>();
function noteAnswered(requestId: string): void {
  answeredRequests.add(requestId);
  if (answeredRequests.size > 512) answeredRequests.delete(answeredRequests.values().next().value!);
}

const BLOCKED_ERRORS = /ERR_BLOCKED_BY_CLIENT|NS_ERROR_BLOCKED|blocked/i;
const ABORTED_ERRORS = /ERR_ABORTED|NS_BINDING_ABORTED|NS_ERROR_ABORT|aborted/i;
const blockedShownAt = new Map<string, number>();

export async function onErrorOccurred(details: WebRequest.OnErrorOccurredDetailsType): Promise<void> {
  if (details.tabId < 0) return;
  const endpoint = describeEndpoint(details.url);
  const host = hostOf(details.url);
  const site = siteOf(details);
  if (!host || !site || !isPanelEndpoint(endpoint)) return;
  const status = await guard.check(host);
  if (BLOCKED_ERRORS.test(details.error) || (status.level === 'blocked' && !status.allowed)) {
    // Our own session rule: the player retried during a block — show the block, count nothing.
    const key = `${details.tabId}|${host}`;
    const last = blockedShownAt.get(key) ?? 0;
    if (Date.now() - last < 2_000 || !status.diagnosis) return;
    blockedShownAt.set(key, Date.now());
    await show(details.tabId, site, host, status.diagnosis, `blocked-${host}`);
    return;
  }
  if (ABORTED_ERRORS.test(details.error)) return;
  if (answeredRequests.delete(details.requestId)) return; // the panel answered: not a connection failure
  const diagnosis = classify({ url: details.url, error: details.error });
  if (!diagnosis) return;
  await recordFailure(host, diagnosis, true);
  await reconcile();
  await show(details.tabId, site, host, diagnosis);
}

/** Handles one report of the main-world tap; answers the tab's hosts once the report is accounted for. */
export async function onTapReport(tabId: number, frameUrl: string | undefined, report: TapReport): Promise<HostView[]> {
  const site = hostOf(frameUrl);
  const host = hostOf(report.url);
  const info = await tabInfo(tabId);
  const answer = async () => {
    const hosts = (await tabInfo(tabId))?.hosts ?? [];
    return Promise.all(hosts.map(async (known) => viewOf(await guard.check(known))));
  };
  if (!site || !host || typeof report.status !== 'number') return answer();
  // Only hosts this tab really talked to (webRequest saw it; a report can overtake the event a little).
  if (!info?.hosts.includes(host) && !(await waitForTabHost(tabId, host, 500))) return answer();
  const endpoint = describeEndpoint(report.url);
  if (!isPanelEndpoint(endpoint)) return answer();
  const body = typeof report.body === 'string' ? report.body.slice(0, 16_384) : undefined;
  const headers = report.contentType ? { 'content-type': report.contentType } : undefined;

  if (report.status >= 400) {
    // Counted by webRequest: wait for that record (one per report), then let the body explain the status.
    const key = noteKey(tabId, report.url, report.status);
    prune(Date.now());
    const note = statusNotes.get(key) ?? { at: Date.now(), recorded: [], matched: 0, early: [] };
    statusNotes.set(key, note);
    /** Takes the oldest recorded failure no other report has taken yet. */
    const claim = (): string | undefined => (note.recorded.length > note.matched ? note.recorded[note.matched++] : undefined);
    const deadline = Date.now() + 1_000;
    let id = claim();
    while (id === undefined && Date.now() < deadline) {
      await statusWaiters.wait(key, deadline);
      id = claim();
    }
    // Any endpoint: a stream's small error body (`{"error":"USER_ALREADY_CONNECTED"}`) explains its status too.
    const explained = body ? classify({ status: report.status, url: report.url, body, headers }) : null;
    if (id !== undefined) {
      if (explained) await show(tabId, site, host, explained, id);
    } else if (explained) {
      note.early.push(explained);
    }
    return answer();
  }

  // A body-only failure: the only thing the tap may add. Or a body-only success, which may reset the count
  // under onLoginSeen's rules — never lift a pause.
  // (A 2xx HLS playlist is read for the replacement video: one segment under /auth/.)
  const readable = (isApiEndpoint(endpoint) && !endpoint.bulk) || isStreamPlaylist(endpoint, report.contentType);
  if (report.status < 200 || report.status >= 300 || !body || !readable) return answer();
  const diagnosis = classify({ status: report.status, url: report.url, body, headers });
  if (diagnosis && diagnosis.retry !== 'not-an-error') {
    const status = await recordFailure(host, diagnosis, false);
    // The banner goes out while the rules are rebuilt; the answer (the tap's go-ahead) waits for the rules.
    const shown = show(tabId, site, host, diagnosis, undefined, status);
    await reconcile();
    await shown;
  } else if (!diagnosis && provesLogin(body, endpoint)) {
    if (await onLoginSeen(tabId, host, report.url)) await reconcile();
  }
  return answer();
}

/**
 * Observation on enabled sites. Each failure is counted once:
 * - statuses (401, 403, 404 on the API, 429 …) from webRequest.onHeadersReceived, which also sees streams
 *   that never complete;
 * - body-only failures (200 with `auth: 0`, Stalker text) from the main-world tap, whose reports may only
 *   add failures for the panel hosts webRequest saw that tab talk to.
 * A tap report about a status failure is never counted: its body only explains the status (same entry id).
 */
import browser, { type WebRequest } from 'webextension-polyfill';
import { classify } from '../../core/classify.js';
import { describeEndpoint, isApiEndpoint, isPanelEndpoint } from '../../core/endpoints.js';
import { redactUrl } from '../../core/redact.js';
import type { Diagnosis, Endpoint } from '../../core/types.js';
import { hostOf } from '../shared/hosts.js';
import type { HostView, RecentEntry, TapReport } from '../shared/messages.js';
import { sanitizeDiagnosis } from '../shared/sanitize.js';
import { guard, viewOf } from './guard.js';
import { remember } from './recent.js';
import { onViewsChanged, reconcile } from './rules.js';
import { noteTabHost, tabInfo, waitForTabHost } from './tabs.js';

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
const statusWaiters = new Map<string, Set<() => void>>();
const countedRequests = new Set<string>();

function noteKey(tabId: number, url: string, status: number): string {
  return `${tabId}|${redactUrl(url)}|${status}`;
}

function prune(now: number): void {
  for (const [key, note] of statusNotes) if (now - note.at > STATUS_NOTE_MS) statusNotes.delete(key);
}

let sequence = 0;
function entryId(): string {
  sequence = (sequence + 1) % 1e9;
  return `${Date.now().toString(36)}-${sequence.toString(36)}`;
}

function siteOf(details: { documentUrl?: string; originUrl?: string; initiator?: string }): string | undefined {
  return hostOf(details.documentUrl ?? details.initiator ?? details.originUrl);
}

async function push(tabId: number, entry: RecentEntry, view: HostView): Promise<void> {
  await remember(entry);
  try {
    await browser.tabs.sendMessage(tabId, { type: 'diagnosis', entry, view }, { frameId: 0 });
  } catch {
    /* no content script in that tab (yet) */
  }
}

async function show(tabId: number, site: string, host: string, diagnosis: Diagnosis, id = entryId()): Promise<void> {
  const view = viewOf(await guard.check(host));
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

export async function onHeadersReceived(details: WebRequest.OnHeadersReceivedDetailsType): Promise<void> {
  if (details.tabId < 0) return;
  const endpoint = describeEndpoint(details.url);
  const host = hostOf(details.url);
  const site = siteOf(details);
  if (!host || !site || !isPanelEndpoint(endpoint)) return;
  await noteTabHost(details.tabId, site, host);
  await takeTicket(host, endpoint);
  const status = details.statusCode;
  if (status >= 200 && status < 300) {
    // A stream answering is a successful authentication; an API 200 proves nothing until its body is read.
    if ((endpoint.kind === 'stream' || endpoint.kind === 'stream-token') && (status === 200 || status === 206)) {
      const before = await guard.check(host);
      if (before.failures > 0 || before.level !== 'ok') {
        await guard.record(host, 'success');
        await reconcile();
      }
    }
    return;
  }
  if (status < 400 || countedRequests.has(details.requestId)) return;
  countedRequests.add(details.requestId);
  if (countedRequests.size > 500) countedRequests.delete(countedRequests.values().next().value!);

  const diagnosis = classify({ status, url: details.url, headers: headersOf(details) });
  if (!diagnosis) return;
  const key = noteKey(details.tabId, details.url, status);
  prune(Date.now());
  const note: StatusNote = statusNotes.get(key) ?? { at: Date.now(), recorded: [], matched: 0, early: [] };
  statusNotes.set(key, note);
  note.at = Date.now();
  await guard.record(host, diagnosis);
  await reconcile();
  // Only now may the tap's report of it be answered: the session rule is in place.
  const id = entryId();
  note.recorded.push(id);
  for (const wake of [...(statusWaiters.get(key) ?? [])]) wake();
  await show(details.tabId, site, host, note.early.shift() ?? diagnosis, id);
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
  const diagnosis = classify({ url: details.url, error: details.error });
  if (!diagnosis) return;
  await guard.record(host, diagnosis);
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
      await new Promise<void>((resolve) => {
        const waiters = statusWaiters.get(key) ?? new Set();
        statusWaiters.set(key, waiters);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          if (!waiters.size) statusWaiters.delete(key);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        waiters.add(done);
      });
      id = claim();
    }
    const explained = body && isApiEndpoint(endpoint) ? classify({ status: report.status, url: report.url, body, headers }) : null;
    if (id !== undefined) {
      if (explained) await show(tabId, site, host, explained, id);
    } else if (explained) {
      note.early.push(explained);
    }
    return answer();
  }

  // A body-only failure: the only thing the tap may add.
  if (report.status < 200 || report.status >= 300 || !body || !isApiEndpoint(endpoint) || endpoint.bulk) return answer();
  const diagnosis = classify({ status: report.status, url: report.url, body, headers });
  if (diagnosis && diagnosis.retry !== 'not-an-error') {
    await guard.record(host, diagnosis);
    await reconcile();
    await show(tabId, site, host, diagnosis);
  }
  return answer();
}

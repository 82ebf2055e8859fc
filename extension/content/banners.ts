/**
 * The isolated world: relays the main-world tap's reports to the background, and shows banners.
 *
 * Chrome's isolated world has no `customElements`, so the banner is the components' lit-html template
 * (`renderBanner`) rendered into a closed shadow root on a host element of our own, placed in the top layer
 * (popover) with inline `!important` styles: the page's CSS cannot reach inside, its scripts cannot reach the
 * closed root, and a page that itself uses xtream-error-ux keeps its own elements — nothing is defined.
 */
import browser from 'webextension-polyfill';
import { render, html, nothing } from 'lit';
import { bannerStyles } from '../../components/error-banner/error-banner.styles.js';
import { guardView } from '../../components/error-banner/guard-notes.js';
import { renderBanner, type GuardView } from '../../components/error-banner/render-banner.js';
import { detailsReport } from '../../components/report.js';
import { createI18n, languageDirection, type LocaleFile, type XtreamI18n } from '../../core/i18n.js';
import { TEST_BUILD } from '../shared/build-flags.js';
import {
  PAGE_REPORT_EVENT,
  PAGE_STATE_EVENT,
  type HelloReply,
  type HostGate,
  type HostView,
  type PageStateMessage,
  type Push,
  type RecentEntry,
  type Request,
  type TapReply,
  type TapReport,
} from '../shared/messages.js';

const isTop = window.top === window;
const MAX_BANNERS = 3;

// ── relay: main world → background → main world ────────────────────────────
function toPage(message: PageStateMessage): void {
  document.dispatchEvent(new CustomEvent(PAGE_STATE_EVENT, { detail: JSON.stringify(message) }));
}

function gatesOf(hosts: readonly HostView[]): HostGate[] {
  return hosts.map(({ host, level, allowed, failures, attemptsLeft, at }) => ({ host, level, allowed, failures, attemptsLeft, at }));
}

function send<T>(message: Request): Promise<T> {
  return browser.runtime.sendMessage(message) as Promise<T>;
}

function readReport(detail: unknown): TapReport | undefined {
  if (typeof detail !== 'string' || detail.length > 32_768) return undefined;
  const value = JSON.parse(detail) as Record<string, unknown>;
  if (typeof value.id !== 'number' || typeof value.url !== 'string' || typeof value.status !== 'number') return undefined;
  return {
    id: value.id,
    url: value.url,
    status: value.status,
    contentType: typeof value.contentType === 'string' ? value.contentType : undefined,
    body: typeof value.body === 'string' ? value.body : undefined,
  };
}

document.addEventListener(PAGE_REPORT_EVENT, (event) => {
  let report: TapReport | undefined;
  try {
    report = readReport((event as CustomEvent<unknown>).detail);
  } catch {
    report = undefined;
  }
  if (!report) return;
  const id = report.id;
  send<TapReply | undefined>({ type: 'tap', report }).then(
    (reply) => {
      if (reply?.hosts) views.merge(reply.hosts);
      toPage({ ack: id, hosts: gatesOf(reply?.hosts ?? []) });
    },
    () => toPage({ ack: id, hosts: [] }),
  );
});

// ── state ──────────────────────────────────────────────────────────────────
const views = {
  byHost: new Map<string, HostView>(),
  merge(hosts: readonly HostView[]) {
    for (const view of hosts) {
      const known = this.byHost.get(view.host);
      if (!known || !(known.at > view.at)) this.byHost.set(view.host, view);
    }
    scheduleRender();
  },
};

interface Shown {
  entry: RecentEntry;
  count: number;
  expanded: boolean;
  copied: boolean;
}
const shown = new Map<string, Shown>();
let i18n: XtreamI18n | undefined;
let language = 'en';

function localeLoader(lng: string, file: LocaleFile) {
  return send<Record<string, unknown> | undefined>({ type: 'locale', lng, file }).then((resources) => {
    if (!resources) throw new Error(`no ${lng}/${file}`);
    return resources;
  });
}

async function useLanguage(lng: string): Promise<void> {
  i18n ??= createI18n({ loader: localeLoader });
  language = await i18n.setLanguage(lng);
  scheduleRender();
}

/** Counts diagnoses shown; the banner host carries it as `data-shown` once rendered (a mark for benchmarks). */
let shownCount = 0;

function show(entry: RecentEntry, view: HostView): void {
  shownCount += 1;
  views.merge([view]);
  const same = [...shown.values()].find((item) => item.entry.id === entry.id || (item.entry.host === entry.host && item.entry.diagnosis.code === entry.diagnosis.code));
  if (same) {
    // A block shown again (the player retried) is the same news, not one more failure.
    if (same.entry.id !== entry.id && !entry.id.startsWith('blocked-')) same.count += 1;
    shown.delete(same.entry.id);
    shown.set(entry.id, { ...same, entry });
  } else {
    shown.set(entry.id, { entry, count: 1, expanded: false, copied: false });
  }
  while (shown.size > MAX_BANNERS) shown.delete(shown.keys().next().value!);
  scheduleRender();
}

browser.runtime.onMessage.addListener((message: unknown) => {
  const push = message as Push;
  if (push?.type === 'diagnosis' && isTop) show(push.entry, push.view);
  else if (push?.type === 'hosts') {
    views.merge(push.hosts);
    toPage({ hosts: gatesOf(push.hosts) });
  } else if (push?.type === 'language' && isTop) void useLanguage(push.language);
  return undefined;
});

void send<HelloReply | undefined>({ type: 'hello' }).then(
  (reply) => {
    if (!reply) return;
    views.merge(reply.hosts);
    toPage({ hosts: gatesOf(reply.hosts) });
    if (isTop) {
      void useLanguage(reply.language);
      for (const entry of reply.entries) {
        const view = reply.hosts.find((candidate) => candidate.host === entry.host);
        if (view) show(entry, view);
      }
    }
  },
  () => undefined,
);

// ── rendering ──────────────────────────────────────────────────────────────
const CONTAINER_STYLE = [
  'all: initial',
  'display: block',
  'position: fixed',
  'inset: 0 0 auto auto',
  'margin: 0',
  'padding: 0',
  'border: 0',
  'background: transparent',
  'overflow: visible',
  'width: min(32rem, 100vw)',
  'max-height: 100vh',
  'z-index: 2147483647',
  'pointer-events: none',
  'color-scheme: light dark',
]
  .map((rule) => `${rule} !important`)
  .join('; ');

const STACK_CSS = `
  .stack { display: flex; flex-direction: column; gap: 0.5rem; padding: 1rem; max-height: 100vh; overflow: auto;
    box-sizing: border-box; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; pointer-events: none; }
  .stack > * { pointer-events: auto; box-shadow: 0 6px 24px rgb(0 0 0 / 0.18); border-radius: 0.5rem; }
`;

let container: HTMLElement | undefined;
let root: ShadowRoot | undefined;

function ensureRoot(): ShadowRoot {
  if (!container) {
    container = document.createElement('xtream-error-ux-extension');
    container.setAttribute('style', CONTAINER_STYLE);
    // Tests read banners through an open root; the shipped build keeps it closed to the page.
    root = container.attachShadow({ mode: TEST_BUILD ? 'open' : 'closed' });
    const style = document.createElement('style');
    style.textContent = `${bannerStyles.cssText}\n${STACK_CSS}`;
    root.append(style);
  }
  if (!container.isConnected) {
    (document.documentElement ?? document).append(container);
    try {
      container.setAttribute('popover', 'manual');
      container.showPopover();
    } catch {
      /* no top layer: the fixed position and z-index still hold */
    }
  }
  return root!;
}

function guardOf(view: HostView | undefined, now: number): GuardView | undefined {
  return view ? guardView(view, now) : undefined;
}

let renderQueued = false;
function scheduleRender(): void {
  if (!isTop || renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    renderNow();
  });
}

let ticker: ReturnType<typeof setInterval> | undefined;

/** A host's view the background answered with: the banner and the tap's gate follow it. */
function adopt(view: HostView | undefined): void {
  if (!view) return;
  views.merge([view]);
  toPage({ hosts: gatesOf([view]) });
}

function renderNow(): void {
  if (!i18n || (!shown.size && !container)) return;
  const t = i18n.t as unknown as (key: string, options?: Record<string, unknown>) => string;
  const now = Date.now();
  const items = [...shown.values()].reverse();
  const dir = languageDirection(language);
  try {
    const shadow = ensureRoot();
    render(
      items.length
        ? html`<div class="stack" role="region" aria-label=${t('xtream-ui:stack.label')} lang=${language} dir=${dir}>
            ${items.map((item, index) => {
              const view = views.byHost.get(item.entry.host);
              const guard = guardOf(view, now);
              return renderBanner(item.entry.diagnosis, t, {
                lang: language,
                dir,
                idPrefix: `x${item.entry.id.replace(/[^a-z0-9]/gi, '')}`,
                // The newest in full (what happened, what to do, the countdown); older ones folded.
                compact: index > 0,
                expanded: item.expanded,
                count: item.count,
                copied: item.copied,
                guard,
                onDismiss: () => {
                  shown.delete(item.entry.id);
                  scheduleRender();
                },
                onToggle: () => {
                  item.expanded = !item.expanded;
                  scheduleRender();
                },
                onRetry: (anyway) => {
                  if (anyway) void send<HostView>({ type: 'try-anyway', host: item.entry.host }).then(adopt);
                  else location.reload();
                },
                onReset: () => void send<HostView>({ type: 'reset-site', host: item.entry.host }).then(adopt),
                onCopy: () => {
                  const text = detailsReport(item.entry.diagnosis, t, { now: item.entry.at, lang: language, userAgent: navigator.userAgent });
                  void navigator.clipboard.writeText(text).then(() => {
                    item.copied = true;
                    scheduleRender();
                  });
                },
              });
            })}
          </div>`
        : nothing,
      shadow,
    );
    container!.dataset.shown = String(shownCount);
  } catch (error) {
    console.warn('xtream-error-ux: banner failed', error instanceof Error ? error.message : 'error');
  }
  const counting = items.some((item) => guardOf(views.byHost.get(item.entry.host), now)?.secondsLeft !== undefined);
  if (counting && !ticker) ticker = setInterval(renderNow, 1_000);
  else if (!counting && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

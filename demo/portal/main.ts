/**
 * The demo portal: a provider portal in plain TypeScript that talks to the local mock panels through the demo
 * server (same origin; `X-Demo-Panel` picks classic or masked, see demo/vite.config.ts) — every panel request
 * through `guardedFetch` and one flood guard shared by the portal's tabs (Web Storage).
 *
 * Credentials live only in the form's inputs and in memory (`session`): never in the DOM elsewhere, in the
 * console, in storage, or in the activity log (which shows redacted paths and codes only).
 */
import '../../components/define.js';
import {
  catalog,
  classify,
  createFloodGuard,
  createWebStorageStore,
  describeAccount,
  FloodBlockedError,
  guardedFetch,
  redactUrl,
  responseDiagnosis,
  setLanguage,
  SUPPORTED_LANGUAGES,
  type AccountFacts,
  type Diagnosis,
  type FloodGuard,
  type XtreamErrorBanner,
  type XtreamErrorStack,
} from '../../components/index.js';

type Panel = 'classic' | 'masked';
type Theme = 'auto' | 'light' | 'dark';

// ── the page ──────────────────────────────────────────────────────────────────

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
}

const ui = {
  form: byId<HTMLFormElement>('login'),
  username: byId<HTMLInputElement>('username'),
  password: byId<HTMLInputElement>('password'),
  panel: byId<HTMLSelectElement>('panel'),
  signin: byId<HTMLButtonElement>('signin'),
  loginStatus: byId('login-status'),
  loginBanner: byId<XtreamErrorBanner>('login-banner'),
  account: byId('account'),
  facts: byId('facts'),
  signout: byId<HTMLButtonElement>('signout'),
  player: byId('player'),
  channels: byId('channels'),
  scenarios: byId('scenarios'),
  failPanel: byId('fail-panel'),
  loopRun: byId<HTMLButtonElement>('loop-run'),
  loopCheck: byId<HTMLButtonElement>('loop-check'),
  naiveIp: byId('naive-ip'),
  naiveLog: byId('naive-log'),
  naiveSummary: byId('naive-summary'),
  naiveBanner: byId<XtreamErrorBanner>('naive-banner'),
  guardedIp: byId('guarded-ip'),
  guardedLog: byId('guarded-log'),
  guardedSummary: byId('guarded-summary'),
  guardedBanner: byId<XtreamErrorBanner>('guarded-banner'),
  log: byId('log'),
  logClear: byId<HTMLButtonElement>('log-clear'),
  language: byId<HTMLSelectElement>('language'),
  theme: byId<HTMLSelectElement>('theme'),
  stack: document.querySelector('xtream-error-stack') as XtreamErrorStack,
};

// ── preferences (never credentials) ───────────────────────────────────────────

const PREFS = 'xeu-demo-portal:prefs';
interface Prefs {
  lang?: string;
  theme?: Theme;
  panel?: Panel;
}
function loadPrefs(): Prefs {
  try {
    return (JSON.parse(localStorage.getItem(PREFS) ?? '{}') as Prefs) ?? {};
  } catch {
    return {};
  }
}
function savePrefs(change: Prefs): void {
  try {
    localStorage.setItem(PREFS, JSON.stringify({ ...loadPrefs(), ...change }));
  } catch {
    /* private mode: preferences just don't persist */
  }
}

// ── the flood guard: one per portal, its count shared by every tab ────────────

const guard: FloodGuard = createFloodGuard({
  store: createWebStorageStore({ storage: localStorage, events: window }),
});

/** The guard key of a panel (the portal reaches both through its own host), optionally as a simulated client. */
function panelKey(panel: Panel, clientIp?: string): string {
  return `${location.host}/${panel}${clientIp ? ` as ${clientIp}` : ''}`;
}

function currentPanel(): Panel {
  return ui.panel.value === 'masked' ? 'masked' : 'classic';
}

// ── requests ──────────────────────────────────────────────────────────────────

interface CallOptions {
  panel: Panel;
  /** Guard key; absent → the guard's own (the host) — used for Stream API calls and foreign hosts. */
  key?: string;
  headers?: Record<string, string>;
  method?: string;
  /** Plain fetch, no guard (the naive loop). */
  plain?: boolean;
  /** Keep a successful stream open (the caller closes it). */
  hold?: boolean;
  /** For flood guards other than the portal's (the guarded loop). */
  guard?: FloodGuard;
}

interface Outcome {
  response?: Response;
  /** What went wrong; null for success. */
  diagnosis: Diagnosis | null;
  /** The guard held the request back: nothing was sent. */
  held?: FloodBlockedError;
  /** The parsed JSON or text of an API answer. */
  data?: unknown;
  /** Media: bytes received before the stream was closed. */
  bytes?: number;
  /** Closes a held stream. */
  close?: () => void;
}

const READABLE = /\b(?:json|text\/|javascript)/i;
const MEDIA_PATH = /^\/(?:live|movie|series|timeshift|hls|play|auth)\/|\/get\.php|\/xmltv\.php/;

function absolute(path: string): string {
  return new URL(path, location.href).href;
}

/** One request to a panel. Never throws for HTTP or network failures: they come back as a diagnosis. */
async function call(path: string, options: CallOptions): Promise<Outcome> {
  const controller = new AbortController();
  const init: RequestInit = {
    method: options.method ?? 'GET',
    headers: { 'X-Demo-Panel': options.panel, ...options.headers },
    cache: 'no-store',
    signal: controller.signal,
  };
  const url = absolute(path);
  const shown = redactUrl(url);
  let response: Response;
  try {
    response = options.plain ? await fetch(url, init) : await guardedFetch(url, init, { guard: options.guard ?? guard, key: options.key });
  } catch (error) {
    if (error instanceof FloodBlockedError) return { diagnosis: error.diagnosis ?? null, held: error };
    return { diagnosis: classify({ error, url: shown }) };
  }
  const isMedia = MEDIA_PATH.test(new URL(url).pathname);
  const observation = { status: response.status, url: redactUrl(response.url || url), headers: response.headers };
  // What guardedFetch found (it already read what may be read); only the unguarded loops classify here.
  const found = options.plain ? undefined : responseDiagnosis(response);
  if (isMedia && response.ok) {
    // Media: read the first chunk only (proof the stream flows), never the whole body.
    let bytes = 0;
    try {
      const reader = response.body?.getReader();
      const first = await reader?.read();
      bytes = first?.value?.byteLength ?? 0;
      if (!options.hold) await reader?.cancel();
    } catch {
      /* the stream ended early: what arrived is what counts */
    }
    const close = () => controller.abort();
    if (!options.hold) close();
    return { response, diagnosis: found !== undefined ? found : classify(observation), bytes, close };
  }
  let data: unknown;
  const type = response.headers.get('content-type') ?? '';
  if (READABLE.test(type) || !type) {
    const text = await response.text().catch(() => '');
    try {
      data = type.includes('json') ? JSON.parse(text) : text;
    } catch {
      data = text;
    }
  } else {
    await response.body?.cancel().catch(() => undefined);
  }
  return { response, data, diagnosis: found !== undefined ? found : classify({ ...observation, body: data }) };
}

function statusText(outcome: Outcome): string {
  if (outcome.held) return `not sent — the flood guard holds requests (${outcome.held.reason})`;
  const status = outcome.response ? `${outcome.response.status}` : 'no answer';
  return outcome.diagnosis ? `${status} → ${outcome.diagnosis.code}` : `${status} OK`;
}

// ── showing errors ────────────────────────────────────────────────────────────

let theme: Theme = 'auto';
const retryActions = new WeakMap<XtreamErrorBanner, () => void>();

/** Shows a failure in the stack, bound to the guard key it counts under, with what "try again" re-runs. */
function showInStack(outcome: Outcome, key: string | undefined, retry?: () => void): void {
  const input = outcome.diagnosis ?? outcome.held?.status.diagnosis;
  if (!input) return;
  const banner = ui.stack.show(input);
  banner.theme = theme;
  if (key && input.source !== 'stream-api' && input.source !== 'network') {
    banner.guard = guard;
    banner.guardKey = key;
  }
  if (retry) {
    if (!retryActions.has(banner)) banner.addEventListener('xtream-retry', () => retryActions.get(banner)?.());
    retryActions.set(banner, retry);
  }
}

function logLine(text: string, tone: 'ok' | 'bad' | '' = ''): void {
  const item = document.createElement('li');
  const time = document.createElement('time');
  const now = new Date();
  time.dateTime = now.toISOString();
  time.textContent = now.toLocaleTimeString(lang(), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const span = document.createElement('span');
  span.textContent = text;
  if (tone) span.className = tone;
  item.append(time, span);
  ui.log.prepend(item);
  while (ui.log.children.length > 60) ui.log.lastElementChild?.remove();
}

// ── sign in, account, channels ────────────────────────────────────────────────

interface Session {
  panel: Panel;
  username: string;
  password: string;
  formats: string[];
}
/** In memory only. */
let session: Session | undefined;

interface Category {
  category_id: string;
  category_name: string;
}
interface Stream {
  stream_id: number;
  name: string;
  category_id: string;
  num?: number;
}

function credentialsQuery(username: string, password: string, action?: string): string {
  const query = new URLSearchParams({ username, password });
  if (action) query.set('action', action);
  return query.toString();
}

function setLoginBusy(busy: boolean, text = ''): void {
  ui.signin.disabled = busy;
  ui.form.setAttribute('aria-busy', String(busy));
  ui.loginStatus.textContent = text;
}

function showLoginError(input: Diagnosis | string, key: string): void {
  const banner = ui.loginBanner;
  banner.guard = guard;
  banner.guardKey = key;
  banner.theme = theme;
  banner.diagnosis = typeof input === 'string' ? classify(input) ?? undefined : input;
  banner.hidden = false;
}

async function signIn(): Promise<void> {
  const username = ui.username.value.trim();
  const password = ui.password.value;
  ui.username.setAttribute('aria-invalid', String(!username));
  ui.password.setAttribute('aria-invalid', String(!password));
  if (!username || !password) {
    ui.loginStatus.textContent = 'Enter your username and password.';
    (username ? ui.password : ui.username).focus();
    return;
  }
  const panel = currentPanel();
  const key = panelKey(panel);
  setLoginBusy(true, 'Signing in…');
  const outcome = await call(`/player_api.php?${credentialsQuery(username, password)}`, { panel, key });
  setLoginBusy(false);
  logLine(`Sign in (${panel}): ${statusText(outcome)}`, outcome.diagnosis || outcome.held ? 'bad' : 'ok');

  if (outcome.held || outcome.diagnosis) {
    // The form keeps everything the person typed; the banner says what happened and what the guard allows.
    showLoginError(outcome.diagnosis ?? outcome.held?.status.diagnosis ?? 'PANEL_BLOCK', key);
    ui.loginStatus.textContent = outcome.held ? 'Not sent: see below.' : 'Sign-in failed: see below.';
    return;
  }
  const data = outcome.data as { user_info?: { allowed_output_formats?: string[] } } | undefined;
  if (!data?.user_info) {
    showLoginError('UNREADABLE', key);
    return;
  }
  ui.loginBanner.hidden = true;
  ui.loginBanner.diagnosis = undefined;
  ui.loginStatus.textContent = 'Signed in.';
  session = { panel, username, password, formats: data.user_info.allowed_output_formats ?? [] };
  const date = outcome.response?.headers.get('date');
  renderAccount(describeAccount(data.user_info, date ? { serverTime: Date.parse(date) } : {}));
  await loadChannels(session);
}

function renderAccount(facts: AccountFacts): void {
  const rows: [string, string][] = [];
  const language = lang();
  rows.push(['Status', facts.status ?? '—']);
  if (facts.expiresAt === null) rows.push(['Expires', 'Never']);
  else if (facts.expiresAt !== undefined) {
    const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(facts.expiresAt);
    const days = facts.msLeft !== undefined ? Math.round(facts.msLeft / 86_400_000) : undefined;
    const relative = days !== undefined ? ` (${new Intl.RelativeTimeFormat(language, { numeric: 'auto' }).format(days, 'day')})` : '';
    rows.push(['Expires', `${date}${relative}`]);
  }
  if (facts.maxConnections !== undefined) rows.push(['Connections', `${facts.activeConnections ?? 0} of ${facts.maxConnections} in use`]);
  rows.push(['Trial', facts.trial ? 'Yes' : 'No']);
  ui.facts.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  ui.account.hidden = false;
}

async function loadChannels(current: Session): Promise<void> {
  const key = panelKey(current.panel);
  setPlayer('Loading channels…');
  const [categories, streams] = await Promise.all([
    call(`/player_api.php?${credentialsQuery(current.username, current.password, 'get_live_categories')}`, { panel: current.panel, key }),
    call(`/player_api.php?${credentialsQuery(current.username, current.password, 'get_live_streams')}`, { panel: current.panel, key }),
  ]);
  if (session !== current) return;
  for (const outcome of [categories, streams]) {
    if (outcome.diagnosis || outcome.held) {
      showInStack(outcome, key, () => void loadChannels(current));
      setPlayer('Could not load the channel list.', 'bad');
      return;
    }
  }
  const cats = Array.isArray(categories.data) ? (categories.data as Category[]) : [];
  const list = Array.isArray(streams.data) ? (streams.data as Stream[]) : [];
  const sections = cats
    .map((category) => ({ category, channels: list.filter((s) => String(s.category_id) === String(category.category_id)) }))
    .filter((group) => group.channels.length > 0)
    .map(({ category, channels }) => {
      const section = document.createElement('section');
      const id = `cat-${category.category_id}`;
      section.setAttribute('aria-labelledby', id);
      const heading = document.createElement('h3');
      heading.id = id;
      heading.textContent = category.category_name;
      const ul = document.createElement('ul');
      for (const channel of channels) {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'channel';
        button.dataset.streamId = String(channel.stream_id);
        button.setAttribute('aria-pressed', 'false');
        const num = document.createElement('span');
        num.className = 'num';
        num.textContent = String(channel.stream_id);
        const name = document.createElement('span');
        name.textContent = channel.name;
        button.append(num, name);
        li.append(button);
        ul.append(li);
      }
      section.append(heading, ul);
      return section;
    });
  ui.channels.replaceChildren(...sections);
  setPlayer(list.length ? `${list.length} channels. Pick one to play.` : 'Your package has no live channels.');
}

function setPlayer(text: string, tone: 'ok' | 'bad' | '' = ''): void {
  ui.player.textContent = text;
  ui.player.className = `player ${tone}`.trim();
}

async function play(streamId: string, name: string, button: HTMLButtonElement): Promise<void> {
  const current = session;
  if (!current) return;
  for (const other of ui.channels.querySelectorAll('button[aria-pressed="true"]')) other.setAttribute('aria-pressed', 'false');
  button.setAttribute('aria-pressed', 'true');
  const extension = current.formats.length === 0 || current.formats.includes('ts') ? 'ts' : 'm3u8';
  const key = panelKey(current.panel);
  setPlayer(`Tuning to ${name}…`);
  const outcome = await call(`/live/${encodeURIComponent(current.username)}/${encodeURIComponent(current.password)}/${streamId}.${extension}`, {
    panel: current.panel,
    key,
  });
  if (session !== current) return;
  logLine(`Play ${streamId} (${current.panel}): ${statusText(outcome)}`, outcome.diagnosis || outcome.held ? 'bad' : 'ok');
  if (outcome.diagnosis || outcome.held) {
    setPlayer(`${name}: can't play this channel.`, 'bad');
    showInStack(outcome, key, () => void play(streamId, name, button));
    return;
  }
  const type = outcome.response?.headers.get('content-type') ?? 'unknown type';
  setPlayer(`▶ ${name} — the stream answers (${outcome.response?.status}, ${type}, first ${outcome.bytes ?? 0} bytes received).`, 'ok');
}

function signOut(): void {
  session = undefined;
  ui.account.hidden = true;
  ui.facts.replaceChildren();
  ui.channels.replaceChildren();
  ui.loginStatus.textContent = '';
  setPlayer('Sign in to see your channels.');
}

// ── make it fail ──────────────────────────────────────────────────────────────

interface ScenarioContext {
  panel: Panel;
  /** The simulated client's address (X-Forwarded-For). */
  ip: string;
  /** The guard key this client counts under (absent for billing and network scenarios). */
  key?: string;
  headers: Record<string, string>;
}

interface Scenario {
  label: string;
  /** What it does, for the button's description. */
  hint: string;
  /** A fixed client address (IP-based scenarios). */
  ip?: string;
  /** Only this panel answers this way. */
  panel?: Panel;
  /** Billing / network: not a panel request the guard counts per simulated client. */
  unkeyed?: boolean;
  run(context: ScenarioContext): Promise<Outcome>;
}

const login = (username: string, password: string) => (context: ScenarioContext) =>
  call(`/player_api.php?${credentialsQuery(username, password)}`, context);

const stream = (path: string, headers: Record<string, string> = {}, extra: Partial<CallOptions> = {}) => (context: ScenarioContext) =>
  call(path, { ...context, ...extra, headers: { ...context.headers, ...headers } });

const STALKER = '/stalker_portal/server/load.php';

function stalker(context: ScenarioContext, mac: string, query: Record<string, string>, token?: string): Promise<Outcome> {
  const params = new URLSearchParams({ ...query, mac, JsHttpRequest: '1-xml' });
  return call(`${STALKER}?${params}`, {
    ...context,
    headers: { ...context.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
}

function tokenOf(outcome: Outcome): string | undefined {
  const token = (outcome.data as { js?: { token?: unknown } } | undefined)?.js?.token;
  return typeof token === 'string' ? token : undefined;
}

/** First failure of a multi-step scenario, else the last step. */
async function steps(...runs: (() => Promise<Outcome>)[]): Promise<Outcome> {
  let last: Outcome = { diagnosis: null };
  for (const run of runs) {
    last = await run();
    if (last.diagnosis || last.held) return last;
  }
  return last;
}

const STREAM_API_CODES = Object.values(catalog)
  .filter((entry) => entry.kind === 'stream-api-code')
  .map((entry) => entry.code);

const GROUPS: { title: string; className?: string; scenarios: Scenario[] }[] = [
  {
    title: 'Account',
    scenarios: [
      { label: 'Wrong password', hint: 'demo with a wrong password', run: login('demo', 'not-the-password') },
      { label: 'Expired', hint: 'the expired account', run: login('expired', 'expired123') },
      { label: 'Banned', hint: 'the banned account', run: login('banned', 'banned123') },
      { label: 'Disabled', hint: 'the disabled account', run: login('disabled', 'disabled123') },
    ],
  },
  {
    title: 'Streams',
    scenarios: [
      {
        label: 'Max connections',
        hint: 'single (1 connection) opens a stream, then a second one',
        async run(context) {
          const first = await stream('/live/single/single123/1001.ts', {}, { hold: true })(context);
          if (first.diagnosis || first.held) return first;
          try {
            return await stream('/live/single/single123/1002.ts')(context);
          } finally {
            first.close?.();
          }
        },
      },
      { label: 'Not in bouquet', hint: 'basic plays the premium channel 1003', run: stream('/live/basic/basic123/1003.ts') },
      { label: 'Format not allowed', hint: 'hlsonly asks for MPEG-TS (.ts)', run: stream('/live/hlsonly/hlsonly123/1001.ts') },
      { label: 'Range 416', hint: 'a movie with a Range beyond its size', run: stream('/movie/demo/test123/2001.mp4', { Range: 'bytes=999999999-' }) },
    ],
  },
  {
    title: 'Client locks',
    scenarios: [
      { label: 'IP lock', hint: 'iplocked from an address it is not locked to', run: login('iplocked', 'iplocked123') },
      { label: 'Country lock', hint: 'geo (GB only) from France (X-Test-Country: FR)', run: (c) => login('geo', 'geo123')({ ...c, headers: { ...c.headers, 'X-Test-Country': 'FR' } }) },
      {
        label: 'User agent ban',
        hint: 'uarules with the User-Agent "BadPlayer/2.1" (a page cannot set User-Agent: the demo server swaps it in from X-Demo-User-Agent)',
        run: (c) => login('uarules', 'uarules123')({ ...c, headers: { ...c.headers, 'X-Demo-User-Agent': 'BadPlayer/2.1' } }),
      },
      {
        label: 'Empty user agent',
        hint: 'uarules with no User-Agent (removed by the demo server)',
        run: (c) => login('uarules', 'uarules123')({ ...c, headers: { ...c.headers, 'X-Demo-User-Agent': '' } }),
      },
      { label: 'ISP lock', hint: 'isplock from another ISP (X-Test-ISP: OtherNet)', run: (c) => login('isplock', 'isplock123')({ ...c, headers: { ...c.headers, 'X-Test-ISP': 'OtherNet' } }) },
      { label: 'VPN detected', hint: 'demo through a VPN (X-Test-VPN: 1)', run: (c) => login('demo', 'test123')({ ...c, headers: { ...c.headers, 'X-Test-VPN': '1' } }) },
      { label: 'Cracked IP', hint: 'demo from 198.51.100.66, on the panel’s cracked list', ip: '198.51.100.66', run: login('demo', 'test123') },
    ],
  },
  {
    title: 'Limits',
    scenarios: [
      {
        label: 'Playlist limit 429',
        hint: 'four playlist downloads in a minute (masked panels limit to three)',
        panel: 'masked',
        async run(context) {
          let last: Outcome = { diagnosis: null };
          for (let i = 0; i < 4; i++) {
            last = await call(`/get.php?${credentialsQuery('demo', 'test123')}&type=m3u_plus&output=ts`, context);
            if (last.diagnosis || last.held) return last;
          }
          return last;
        },
      },
    ],
  },
  {
    title: 'MAG / Stalker',
    scenarios: [
      { label: 'Handshake refused', hint: 'an unknown MAG box (token null)', run: (c) => stalker(c, '00:1A:79:00:0F:FF', { type: 'stb', action: 'handshake' }) },
      {
        label: 'Authorization failed.',
        hint: 'another box (other serial) takes the MAC; the first box’s token stops working',
        async run(c) {
          const mac = '00:1A:79:00:00:01';
          let first: string | undefined;
          let second: string | undefined;
          const setup = await steps(
            async () => {
              const o = await stalker(c, mac, { type: 'stb', action: 'handshake' });
              first = tokenOf(o);
              return o;
            },
            () => stalker(c, mac, { type: 'stb', action: 'get_profile', sn: 'SN-LIVINGROOM' }, first),
            async () => {
              const o = await stalker(c, mac, { type: 'stb', action: 'handshake' });
              second = tokenOf(o);
              return o;
            },
            () => stalker(c, mac, { type: 'stb', action: 'get_profile', sn: 'SN-BEDROOM' }, second),
          );
          if (setup.diagnosis || setup.held) return setup;
          return stalker(c, mac, { type: 'itv', action: 'get_all_channels' }, first);
        },
      },
      { label: 'Access denied.', hint: 'a MAC the portal does not allow', run: (c) => stalker(c, '00:1A:79:00:00:04', { type: 'stb', action: 'handshake' }) },
      {
        label: 'Blocked profile',
        hint: 'a box whose profile is blocked (status 1)',
        async run(c) {
          const mac = '00:1A:79:00:00:02';
          let token: string | undefined;
          return steps(
            async () => {
              const o = await stalker(c, mac, { type: 'stb', action: 'handshake' });
              token = tokenOf(o);
              return o;
            },
            () => stalker(c, mac, { type: 'stb', action: 'get_profile', sn: 'SN-BLOCKED' }, token),
          );
        },
      },
    ],
  },
  {
    title: 'Stream API (billing)',
    className: 'codes',
    scenarios: STREAM_API_CODES.map((code) => ({
      label: code,
      hint: `GET /stream-api/error?code=${code}`,
      unkeyed: true,
      run: (c: ScenarioContext) => call(`/stream-api/error?code=${encodeURIComponent(code)}`, { panel: c.panel }),
    })),
  },
  {
    title: 'Network',
    scenarios: [
      {
        label: 'Network error',
        hint: 'a request to a closed port (127.0.0.1:65534)',
        unkeyed: true,
        run: (c) => call('http://127.0.0.1:65534/player_api.php', { panel: c.panel }),
      },
    ],
  },
];

function scenarioIp(groupIndex: number, index: number, panel: Panel, fixed?: string): string {
  return fixed ?? `10.${panel === 'classic' ? 20 : 30}.${groupIndex}.${index + 10}`;
}

function renderScenarios(): void {
  const panel = currentPanel();
  ui.failPanel.textContent = panel;
  const groups = GROUPS.map((group, groupIndex) => {
    const fieldset = document.createElement('fieldset');
    if (group.className) fieldset.className = group.className;
    const legend = document.createElement('legend');
    legend.textContent = group.title;
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    group.scenarios.forEach((scenario, index) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = scenario.label;
      const target = scenario.panel ?? panel;
      const ip = scenario.unkeyed ? undefined : scenarioIp(groupIndex, index, target, scenario.ip);
      button.title = `${scenario.hint}${scenario.panel ? ` — always the ${scenario.panel} panel` : ''}${ip ? ` — as client ${ip}` : ''}`;
      button.addEventListener('click', () => void runScenario(scenario, target, ip, button));
      buttons.append(button);
    });
    fieldset.append(legend, buttons);
    return fieldset;
  });
  ui.scenarios.replaceChildren(...groups);
}

async function runScenario(scenario: Scenario, panel: Panel, ip: string | undefined, button: HTMLButtonElement): Promise<void> {
  if (button.getAttribute('aria-busy') === 'true') return;
  button.setAttribute('aria-busy', 'true');
  const key = ip ? panelKey(panel, ip) : undefined;
  const context: ScenarioContext = { panel, ip: ip ?? '', key, headers: ip ? { 'X-Forwarded-For': ip } : {} };
  let outcome: Outcome;
  try {
    outcome = await scenario.run(context);
  } finally {
    button.removeAttribute('aria-busy');
  }
  const failed = Boolean(outcome.diagnosis || outcome.held);
  logLine(`${scenario.label} (${panel}${ip ? `, client ${ip}` : ''}): ${statusText(outcome)}`, failed ? 'bad' : 'ok');
  if (failed) showInStack(outcome, key, () => void runScenario(scenario, panel, ip, button));
  else ui.stack.show(outcome.response?.status ?? 200).theme = theme;
}

// ── the naive loop vs the guarded one ─────────────────────────────────────────

let loopClients: { panel: Panel; naive: string; guarded: string } | undefined;
let loopGuard: FloodGuard | undefined;
let loopGuardKey = '';
let skew = 0;

function attempt(list: HTMLElement, text: string, className = ''): void {
  const li = document.createElement('li');
  li.textContent = text;
  if (className) li.className = className;
  list.append(li);
}

function answerLabel(outcome: Outcome): string {
  const response = outcome.response;
  if (!response) return outcome.diagnosis?.code ?? 'no answer';
  const emptyBlock = response.status === 403 && (outcome.data === '' || outcome.data === undefined);
  if (emptyBlock) return '403 empty: blocked';
  return `${response.status} ${outcome.diagnosis?.code ?? 'OK'}`;
}

function randomOctet(): number {
  return 2 + Math.floor(Math.random() * 250);
}

async function runLoops(): Promise<void> {
  const panel = currentPanel();
  const run = randomOctet();
  loopClients = { panel, naive: `10.66.${run}.${randomOctet()}`, guarded: `10.77.${run}.${randomOctet()}` };
  ui.loopRun.disabled = true;
  ui.loopCheck.disabled = true;
  ui.naiveIp.textContent = `as ${loopClients.naive} (${panel})`;
  ui.guardedIp.textContent = `as ${loopClients.guarded} (${panel})`;
  for (const list of [ui.naiveLog, ui.guardedLog]) list.replaceChildren();
  for (const summary of [ui.naiveSummary, ui.guardedSummary]) {
    summary.textContent = '';
    summary.className = 'summary';
  }
  ui.naiveBanner.hidden = ui.guardedBanner.hidden = true;
  const path = `/player_api.php?${credentialsQuery('demo', 'wrong-password')}`;

  // Naive: retries blindly, as many players do.
  let last: Outcome = { diagnosis: null };
  let blockedAt = 0;
  for (let i = 1; i <= 12; i++) {
    last = await call(path, { panel, plain: true, headers: { 'X-Forwarded-For': loopClients.naive } });
    const label = answerLabel(last);
    const blocked = label.startsWith('403 empty');
    if (blocked && !blockedAt) blockedAt = i;
    attempt(ui.naiveLog, `#${i} ${label}`, blocked ? 'blocked' : '');
  }
  ui.naiveSummary.textContent = blockedAt
    ? `The panel blocked this client at attempt ${blockedAt}: the viewer is locked out, even with the right password.`
    : 'The panel did not block this client (is its flood protection off?).';
  ui.naiveSummary.classList.add(blockedAt ? 'bad' : 'ok');
  if (last.diagnosis) {
    ui.naiveBanner.theme = theme;
    ui.naiveBanner.diagnosis = last.diagnosis;
    ui.naiveBanner.hidden = false;
  }
  logLine(`Naive loop (${panel}, client ${loopClients.naive}): 12 attempts, ${blockedAt ? `blocked by the panel at #${blockedAt}` : 'never blocked'}`, blockedAt ? 'bad' : 'ok');

  // Guarded: the same loop through guardedFetch; the guard's waits pass on a simulated clock.
  skew = 0;
  loopGuard = createFloodGuard({ now: () => Date.now() + skew });
  loopGuardKey = panelKey(panel, loopClients.guarded);
  let sent = 0;
  let pausedReason = '';
  let lastFailure: Diagnosis | null = null;
  while (sent < 12) {
    const outcome = await call(path, { panel, key: loopGuardKey, guard: loopGuard, headers: { 'X-Forwarded-For': loopClients.guarded } });
    if (outcome.held) {
      const { retryAt, reason } = outcome.held;
      if ((reason === 'backoff' || reason === 'retry-after') && retryAt !== undefined) {
        const wait = Math.max(0, retryAt - loopGuard.now()) + 1;
        skew += wait;
        attempt(ui.guardedLog, `waits ${(wait / 1000).toFixed(1)} s`, 'wait');
        continue;
      }
      pausedReason = reason;
      attempt(ui.guardedLog, `paused (${reason})`, 'paused');
      break;
    }
    sent++;
    lastFailure = outcome.diagnosis ?? lastFailure;
    const label = answerLabel(outcome);
    attempt(ui.guardedLog, `#${sent} ${label}`, label.startsWith('403 empty') ? 'blocked' : '');
  }
  const status = await loopGuard.check(loopGuardKey);
  ui.guardedSummary.textContent = pausedReason
    ? `The guard paused after ${status.failures} failures, one short of the panel's block. The client is not blocked: the right password still works.`
    : `All ${sent} attempts were sent.`;
  ui.guardedSummary.classList.add(pausedReason ? 'ok' : 'bad');
  if (lastFailure) {
    ui.guardedBanner.theme = theme;
    ui.guardedBanner.guard = loopGuard;
    ui.guardedBanner.guardKey = loopGuardKey;
    ui.guardedBanner.diagnosis = lastFailure;
    ui.guardedBanner.hidden = false;
  }
  logLine(`Guarded loop (${panel}, client ${loopClients.guarded}): ${sent} sent, ${pausedReason ? `paused (${pausedReason}) before the panel's block` : 'not paused'}`, pausedReason ? 'ok' : 'bad');
  ui.loopRun.disabled = false;
  ui.loopCheck.disabled = false;
}

/** "Try anyway" on the guarded loop's banner: one more attempt, past the pause — the person chose it. */
async function loopTryAnyway(): Promise<void> {
  if (!loopClients || !loopGuard) return;
  const outcome = await call(`/player_api.php?${credentialsQuery('demo', 'wrong-password')}`, {
    panel: loopClients.panel,
    key: loopGuardKey,
    guard: loopGuard,
    headers: { 'X-Forwarded-For': loopClients.guarded },
  });
  const label = outcome.held ? `not sent (${outcome.held.reason})` : answerLabel(outcome);
  attempt(ui.guardedLog, `tried anyway: ${label}`, label.startsWith('403 empty') ? 'blocked' : outcome.held ? 'wait' : '');
  if (outcome.diagnosis) ui.guardedBanner.diagnosis = outcome.diagnosis;
}

async function checkLoopClients(): Promise<void> {
  if (!loopClients) return;
  const path = `/player_api.php?${credentialsQuery('demo', 'test123')}`;
  for (const [list, ip, name] of [
    [ui.naiveLog, loopClients.naive, 'naive'],
    [ui.guardedLog, loopClients.guarded, 'guarded'],
  ] as const) {
    const outcome = await call(path, { panel: loopClients.panel, plain: true, headers: { 'X-Forwarded-For': ip } });
    const label = answerLabel(outcome);
    const ok = !outcome.diagnosis;
    attempt(list, `right password: ${ok ? `${outcome.response?.status} signed in` : label}`, ok ? 'paused' : 'blocked');
    logLine(`Right password from the ${name} loop's client ${ip}: ${statusText(outcome)}`, ok ? 'ok' : 'bad');
  }
}

// ── language and theme ────────────────────────────────────────────────────────

let chosenLanguage = 'en';

/** The viewer's language: the banners' (through setLanguage) and the account facts' dates. */
function lang(): string {
  return chosenLanguage;
}

/**
 * The banners follow `setLanguage` and set their own direction (Arabic renders right to left). The portal's own
 * chrome is English only, so <html lang/dir> stay as they are.
 */
async function applyLanguage(code: string): Promise<void> {
  const language = await setLanguage(code);
  chosenLanguage = language;
  if (ui.language.value !== language) ui.language.value = language;
}

function applyTheme(value: Theme): void {
  theme = value;
  document.documentElement.dataset.theme = value;
  for (const banner of document.querySelectorAll('xtream-error-banner')) banner.theme = value;
}

// ── wiring ────────────────────────────────────────────────────────────────────

function init(): void {
  const prefs = loadPrefs();
  for (const language of SUPPORTED_LANGUAGES) {
    const option = new Option(language.name, language.code);
    option.lang = language.code;
    ui.language.append(option);
  }
  ui.language.value = prefs.lang ?? 'en';
  ui.theme.value = prefs.theme ?? 'auto';
  ui.panel.value = prefs.panel ?? 'classic';
  applyTheme(ui.theme.value as Theme);
  void applyLanguage(ui.language.value);
  renderScenarios();

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn();
  });
  ui.loginBanner.addEventListener('xtream-retry', () => void signIn());
  ui.signout.addEventListener('click', signOut);
  ui.panel.addEventListener('change', () => {
    savePrefs({ panel: currentPanel() });
    if (session && session.panel !== currentPanel()) signOut();
    ui.loginBanner.hidden = true;
    renderScenarios();
  });
  ui.channels.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button.channel');
    if (button?.dataset.streamId) void play(button.dataset.streamId, button.lastElementChild?.textContent ?? '', button);
  });
  ui.language.addEventListener('change', () => {
    savePrefs({ lang: ui.language.value });
    void applyLanguage(ui.language.value);
  });
  ui.theme.addEventListener('change', () => {
    savePrefs({ theme: ui.theme.value as Theme });
    applyTheme(ui.theme.value as Theme);
  });
  ui.loopRun.addEventListener('click', () => void runLoops());
  ui.loopCheck.addEventListener('click', () => void checkLoopClients());
  ui.guardedBanner.addEventListener('xtream-retry', (event) => {
    if (event.anyway) void loopTryAnyway();
  });
  ui.logClear.addEventListener('click', () => ui.log.replaceChildren());
}

init();

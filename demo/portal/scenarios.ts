/**
 * "Make it fail": a button for every failure the panel can give the portal's own requests (sign-ins, streams,
 * client locks, limits, MAG/Stalker, the Stream API, the network), each through guardedFetch and the portal's
 * guard, each as its own simulated viewer (an X-Forwarded-For address shown on hover), so one button's failures
 * don't block the others. The player's failures are player.ts.
 */
import { catalog } from '../../components/index.js';
import { call, credentialsQuery, type CallOptions, type Outcome, type Panel, panelKey, statusText } from './calls.js';
import { logLine, showInStack, ui, view } from './page.js';
import { currentPanel } from './session.js';

/** The second octet of each panel's simulated clients. */
const PANEL_OCTET: Record<Panel, number> = { classic: 20, masked: 30, xcvm: 40 };

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
  return fixed ?? `10.${PANEL_OCTET[panel]}.${groupIndex}.${index + 10}`;
}

export function renderScenarios(): void {
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
  else ui.stack.show(outcome.response?.status ?? 200).theme = view.theme;
}

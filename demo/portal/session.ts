/**
 * Sign-in, the subscription card and the channel list. Credentials live only in the form's inputs and in memory
 * (`session`): never in the DOM elsewhere, the console, storage, or the activity log.
 *
 * Every sign-in starts from nothing: the previous session, its card, its channel list, its player and its error
 * are gone before the request is sent, so a failed sign-in never leaves another account's state on screen. While
 * the guard holds the panel's sign-ins back, the Sign-in button is disabled and says why, and until when.
 */
import { classify, describeAccount, type AccountFacts, type Diagnosis, type FloodStatus } from '../../components/index.js';
import { call, credentialsQuery, failed, guard, panelKey, statusText, type Panel } from './calls.js';
import type { Engine } from './engines.js';
import { logLine, setAvailable, showInStack, ui, view } from './page.js';
import { startPlayer, stopPlayer, updateEngines } from './player.js';

interface Session {
  panel: Panel;
  username: string;
  password: string;
  formats: string[];
}
/** In memory only. */
let session: Session | undefined;

/** The last failed sign-in per panel: whose it was (in memory), so a held retry never shows another account's error. */
const lastFailure = new Map<Panel, { username: string; diagnosis: Diagnosis }>();

interface Category {
  category_id: string;
  category_name: string;
}
interface Stream {
  stream_id: number;
  name: string;
  category_id: string;
}

export function currentPanel(): Panel {
  const value = ui.panel.value;
  return value === 'masked' || value === 'xcvm' ? value : 'classic';
}

function setLoginBusy(busy: boolean, text = ''): void {
  ui.form.setAttribute('aria-busy', String(busy));
  ui.signin.toggleAttribute('aria-disabled', busy);
  ui.loginStatus.textContent = text;
}

function showLoginError(input: Diagnosis | string | undefined, key: string): void {
  const banner = ui.loginBanner;
  const diagnosis = typeof input === 'string' ? classify(input) ?? undefined : input;
  banner.hidden = !diagnosis;
  banner.guard = guard;
  banner.guardKey = key;
  banner.theme = view.theme;
  banner.diagnosis = diagnosis;
}

/** Back to signed out: no session, no card, no channels, nothing playing, no error. */
function clearSession(status = ''): void {
  session = undefined;
  ui.account.hidden = true;
  ui.facts.replaceChildren();
  ui.channels.replaceChildren();
  ui.loginStatus.textContent = status;
  showLoginError(undefined, panelKey(currentPanel()));
  stopPlayer('Sign in to see your channels.');
  updateEngines(undefined);
}

export async function signIn(): Promise<void> {
  if (ui.form.getAttribute('aria-busy') === 'true' || ui.signin.disabled) return;
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
  clearSession();
  setLoginBusy(true, 'Signing in…');
  const outcome = await call(`/player_api.php?${credentialsQuery(username, password)}`, { panel, key });
  setLoginBusy(false);
  logLine(`Sign in (${panel}): ${statusText(outcome)}`, failed(outcome) ? 'bad' : 'ok');

  if (outcome.held) {
    // Nothing was sent: the guard's reason is this panel's earlier failure, which may be another account's.
    const earlier = lastFailure.get(panel);
    const own = earlier?.username === username ? earlier.diagnosis : undefined;
    showLoginError(own, key);
    ui.loginStatus.textContent = own
      ? 'Not sent: see below.'
      : `Not sent: the flood guard is waiting after an earlier failure on this panel (${outcome.held.reason}).`;
    void refreshSignInGate();
    return;
  }
  if (outcome.diagnosis) {
    lastFailure.set(panel, { username, diagnosis: outcome.diagnosis });
    // The form keeps everything the person typed; the banner says what happened and what the guard allows.
    showLoginError(outcome.diagnosis, key);
    ui.loginStatus.textContent = 'Sign-in failed: see below.';
    void refreshSignInGate();
    return;
  }
  const data = outcome.data as { user_info?: Parameters<typeof describeAccount>[0] & { allowed_output_formats?: string[] } } | undefined;
  if (!data?.user_info) {
    showLoginError('UNREADABLE', key);
    return;
  }
  lastFailure.delete(panel);
  ui.loginStatus.textContent = 'Signed in.';
  const current: Session = { panel, username, password, formats: data.user_info.allowed_output_formats ?? [] };
  session = current;
  const date = outcome.response?.headers.get('date');
  renderAccount(describeAccount(data.user_info, date ? { serverTime: Date.parse(date) } : {}));
  updateEngines(current.formats);
  await loadChannels(current);
}

function renderAccount(facts: AccountFacts): void {
  const rows: [string, string][] = [];
  const language = view.language;
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
  stopPlayer('Loading channels…');
  const [categories, streams] = await Promise.all([
    call(`/player_api.php?${credentialsQuery(current.username, current.password, 'get_live_categories')}`, { panel: current.panel, key }),
    call(`/player_api.php?${credentialsQuery(current.username, current.password, 'get_live_streams')}`, { panel: current.panel, key }),
  ]);
  if (session !== current) return;
  for (const outcome of [categories, streams]) {
    if (failed(outcome)) {
      showInStack(outcome, key, () => void loadChannels(current));
      stopPlayer('Could not load the channel list.');
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
  stopPlayer(list.length ? `${list.length} channels. Pick one to play.` : 'Your package has no live channels.');
}

/** Plays a channel of the signed-in line with the chosen engine. */
export async function playChannel(streamId: string, name: string, button: HTMLButtonElement): Promise<void> {
  const current = session;
  if (!current) return;
  await startPlayer({ panel: current.panel, username: current.username, password: current.password, streamId, engine: ui.engine.value as Engine, label: name });
  button.setAttribute('aria-pressed', 'true');
}

export function signOut(): void {
  clearSession();
}

export function sessionPanel(): Panel | undefined {
  return session?.panel;
}

// ── the Sign-in button follows the guard ──────────────────────────────────────

let gateTimer: ReturnType<typeof setTimeout> | undefined;
let gateUnsubscribe: (() => void) | undefined;

/** Why a sign-in cannot be sent now, if it cannot (a hard stop can: new credentials lift it). */
function holdReason(status: FloodStatus): string | undefined {
  if (status.allowed || status.reason === 'hard-stop') return undefined;
  const until = status.retryAt !== undefined ? new Date(status.retryAt).toLocaleTimeString(view.language) : undefined;
  if (status.reason === 'threshold') return 'Paused one failure before the panel blocks this connection: “Try anyway” in the banner sends one more.';
  return until ? `The flood guard waits until ${until} after the last failure (${status.reason}).` : `The flood guard holds sign-ins (${status.reason}).`;
}

/** Re-reads the guard for the selected panel; enables Sign in again when the wait ends. */
export async function refreshSignInGate(): Promise<void> {
  const key = panelKey(currentPanel());
  const status = await guard.check(key);
  if (key !== panelKey(currentPanel())) return;
  setAvailable(ui.signin, ui.signinReason, holdReason(status));
  if (gateTimer) clearTimeout(gateTimer);
  gateTimer = status.retryAt !== undefined && !status.allowed ? setTimeout(() => void refreshSignInGate(), Math.max(50, status.retryAt - guard.now() + 50)) : undefined;
}

/** Follows the selected panel's guard key (other tabs share the count). */
export function watchSignInGate(): void {
  gateUnsubscribe?.();
  gateUnsubscribe = guard.subscribe(panelKey(currentPanel()), () => void refreshSignInGate());
  void refreshSignInGate();
}

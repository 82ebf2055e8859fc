/**
 * The portal's player: a <video> with an <xtream-error-banner> over it. A channel plays through hls.js or
 * mpegts.js with the project's adapters and the portal's flood guard; each failed or held request of the player
 * sets the banner (its countdown bound to the guard key the request counted under), so a viewer reads "your
 * subscription has expired" over the picture instead of watching a spinner.
 *
 * Also the player's own "make it fail" buttons: each failure the panel can give a player, each as its own
 * simulated viewer (a fresh X-Forwarded-For address per click), so none of them counts against the others.
 */
import type { Diagnosis } from '../../components/index.js';
import { call, credentialsQuery, guard, livePath, panelKey, randomClient, requestHeaders, type Outcome, type Panel } from './calls.js';
import { canPlay, ENGINES, play, type Engine, type Playback } from './engines.js';
import { logLine, setAvailable, ui, view } from './page.js';

export interface PlayRequest {
  panel: Panel;
  username: string;
  password: string;
  streamId: string | number;
  engine: Engine;
  /** What the viewer picked (for the status line). */
  label: string;
  /** A simulated viewer's address; absent: the portal's own (127.0.0.1). */
  clientIp?: string;
  /** Runs before the player starts (a scenario's setup); its result is closed when the player stops. */
  before?(): Promise<(() => void) | void>;
}

interface Current {
  readonly request: PlayRequest;
  playback?: Playback;
  cleanup?: () => void;
  diagnosis?: Diagnosis;
  /** The panel's last refusal (a request that reached it). */
  refused?: Diagnosis;
  playing: boolean;
}

let current: Current | undefined;

function setStatus(text: string, tone: 'ok' | 'bad' | '' = ''): void {
  ui.playerStatus.textContent = text;
  ui.playerStatus.className = `player ${tone}`.trim();
}

function showDiagnosis(diagnosis: Diagnosis | undefined, key?: string): void {
  const banner = ui.playerBanner;
  if (!diagnosis) {
    banner.hidden = true;
    banner.diagnosis = undefined;
    ui.screen.classList.remove('failed');
    return;
  }
  banner.theme = view.theme;
  banner.guard = guard;
  if (key) banner.guardKey = key;
  banner.diagnosis = diagnosis;
  banner.hidden = false;
  ui.screen.classList.add('failed');
}

/** Stops what plays (and what a scenario held open), clears the banner; `text` is the new status line. */
export function stopPlayer(text = 'Nothing playing.'): void {
  const previous = current;
  current = undefined;
  previous?.playback?.stop();
  previous?.cleanup?.();
  ui.video.removeAttribute('src');
  ui.video.load();
  showDiagnosis(undefined);
  setStatus(text);
  ui.stop.disabled = true;
  for (const button of document.querySelectorAll('button.channel[aria-pressed="true"]')) button.setAttribute('aria-pressed', 'false');
}

/** Plays a channel in the portal's player; the banner over it says what went wrong, if anything. */
export async function startPlayer(request: PlayRequest): Promise<void> {
  stopPlayer(`Tuning to ${request.label}…`);
  const mine: Current = { request, playing: false };
  current = mine;
  ui.stop.disabled = false;
  const { label, panel, clientIp } = request;
  const key = panelKey(panel, clientIp);
  try {
    mine.cleanup = (await request.before?.()) ?? undefined;
  } catch {
    /* a scenario's setup that failed: the player shows what the panel says */
  }
  if (current !== mine) return mine.cleanup?.();
  const { extension } = ENGINES[request.engine];
  const engine = request.engine;
  const who = clientIp ? ` as ${clientIp}` : '';
  mine.playback = play(engine, ui.video, livePath(request.username, request.password, request.streamId, extension), {
    guard,
    key,
    headers: requestHeaders(panel, clientIp),
    onDiagnosis(diagnosis, info) {
      if (current !== mine) return;
      if (diagnosis) {
        // A request held after the panel's own refusal: the refusal stays what the banner and the status say.
        const refused = mine.refused;
        if (!info.held) mine.refused = diagnosis;
        const shown = info.held && refused ? refused : diagnosis;
        mine.diagnosis = shown;
        showDiagnosis(shown, info.key);
        setStatus(
          info.held
            ? refused
              ? `${label}: the panel refused (${refused.code}); the flood guard holds the player’s further requests.`
              : `${label}: not sent — the flood guard holds the player’s requests.`
            : `${label}: the panel refused (${diagnosis.code}).`,
          'bad',
        );
        logLine(`Player ${request.streamId} (${panel}${who}, ${engine}): ${info.held ? 'held by the guard' : diagnosis.code}`, 'bad');
      } else if (mine.diagnosis && !mine.diagnosis.definitive && !mine.diagnosis.masked) {
        // Fine again. A definitive refusal (expired, banned) and a replacement video stay explained while the clip plays.
        mine.diagnosis = mine.refused = undefined;
        showDiagnosis(undefined);
      }
    },
    onFatal(detail) {
      if (current !== mine) return;
      mine.playback = undefined;
      if (!mine.diagnosis) setStatus(`${label}: the player stopped (${detail}).`, 'bad');
      logLine(`Player ${request.streamId} (${panel}${who}, ${engine}) stopped: ${detail}`, 'bad');
    },
  });
  // Playing = the picture moves on (a live stream starts at its live edge: its first time proves nothing).
  let from: number | undefined;
  const onTime = () => {
    if (current !== mine) return ui.video.removeEventListener('timeupdate', onTime);
    from ??= ui.video.currentTime;
    if (mine.playing || ui.video.currentTime - from <= 0.25 || ui.video.readyState < 2) return;
    mine.playing = true;
    if (!mine.diagnosis) setStatus(`▶ ${label} — playing with ${ENGINES[engine].label}.`, 'ok');
    logLine(`Player ${request.streamId} (${panel}${who}, ${engine}): playing`, 'ok');
  };
  ui.video.addEventListener('timeupdate', onTime);
}

/** The banner's "Try again" (and "Try anyway", the banner having asked the guard for one more): play it again. */
export function retryPlayer(): void {
  if (current) void startPlayer(current.request);
}

// ── the player's failures ─────────────────────────────────────────────────────

interface PlayerFailure {
  label: string;
  hint: string;
  request(panel: Panel, clientIp: string, engine: Engine): PlayRequest;
}

/** Holds one connection of `username` open from `clientIp` (another device watching), for "max connections". */
function holdConnection(panel: Panel, clientIp: string, username: string, password: string) {
  return async () => {
    const outcome: Outcome = await call(livePath(username, password, 1001, 'ts'), { panel, key: panelKey(panel, clientIp), headers: requestHeaders(panel, clientIp), hold: true });
    return outcome.close;
  };
}

/** Gets `clientIp` blocked by the panel the way a naive player does: wrong-password sign-ins until it blocks. */
function floodUntilBlocked(panel: Panel, clientIp: string) {
  return async () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const outcome = await call(`/player_api.php?${credentialsQuery('demo', 'wrong-password')}`, { panel, plain: true, headers: requestHeaders(panel, clientIp) });
      if (outcome.response?.status === 403) break;
    }
  };
}

const FAILURES: PlayerFailure[] = [
  {
    label: 'Expired',
    hint: 'the expired account plays a channel (xcvm and masked panels answer with the replacement video)',
    request: (panel, clientIp, engine) => ({ panel, clientIp, engine, username: 'expired', password: 'expired123', streamId: 1001, label: 'Expired account' }),
  },
  {
    label: 'Max connections',
    hint: 'single (1 connection) is already watching on another device',
    request: (panel, clientIp, engine) => ({
      panel,
      clientIp,
      engine,
      username: 'single',
      password: 'single123',
      streamId: 1002,
      label: 'Second device',
      before: holdConnection(panel, clientIp, 'single', 'single123'),
    }),
  },
  {
    label: 'Not in bouquet',
    hint: 'basic plays the premium channel 1003',
    request: (panel, clientIp, engine) => ({ panel, clientIp, engine, username: 'basic', password: 'basic123', streamId: 1003, label: 'Premium channel' }),
  },
  {
    label: 'Format not allowed',
    hint: 'hlsonly plays MPEG-TS with mpegts.js (its subscription allows HLS only)',
    request: (panel, clientIp) => ({ panel, clientIp, engine: 'mpegts', username: 'hlsonly', password: 'hlsonly123', streamId: 1001, label: 'MPEG-TS on an HLS-only line' }),
  },
  {
    label: 'Wrong password',
    hint: 'demo with a wrong password in the stream URL',
    request: (panel, clientIp, engine) => ({ panel, clientIp, engine, username: 'demo', password: 'not-the-password', streamId: 1001, label: 'Wrong password' }),
  },
  {
    label: 'Banned IP',
    hint: 'a client the panel has blocked (plain fetch sign-ins with a wrong password first), then the right password',
    request: (panel, clientIp, engine) => ({
      panel,
      clientIp,
      engine,
      username: 'demo',
      password: 'test123',
      streamId: 1001,
      label: 'Blocked client',
      before: floodUntilBlocked(panel, clientIp),
    }),
  },
];

/** The player's failure buttons, for the selected panel and engine. */
export function renderPlayerFailures(panel: () => Panel, engine: () => Engine): void {
  const buttons = FAILURES.map((failure) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = failure.label;
    button.title = failure.hint;
    button.addEventListener('click', () => {
      ui.screen.scrollIntoView({ block: 'nearest' });
      void startPlayer(failure.request(panel(), randomClient('10.44'), engine()));
    });
    return button;
  });
  ui.playerFailures.replaceChildren(...buttons);
}

/** Which engines can act: the browser's support, and the signed-in line's allowed formats. */
export function updateEngines(formats: readonly string[] | undefined): void {
  for (const option of ui.engine.options) {
    const engine = option.value as Engine;
    const extension = ENGINES[engine].extension;
    const reason = !canPlay(engine)
      ? 'this browser has no Media Source Extensions'
      : formats && formats.length > 0 && !formats.includes(extension)
        ? `your subscription allows ${formats.join(', ')} only`
        : undefined;
    setAvailable(option, undefined, reason);
  }
  if (ui.engine.selectedOptions[0]?.disabled) {
    const usable = [...ui.engine.options].find((option) => !option.disabled);
    if (usable) ui.engine.value = usable.value;
  }
  const chosen = ui.engine.selectedOptions[0];
  const blocked = [...ui.engine.options].filter((option) => option.disabled);
  ui.engineReason.textContent = blocked.map((option) => `${option.textContent}: ${option.title}.`).join(' ');
  ui.engineReason.hidden = blocked.length === 0;
  if (!chosen) ui.engine.disabled = true;
}

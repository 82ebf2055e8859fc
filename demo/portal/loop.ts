/**
 * The naive retry loop against the guarded one, with real players: two hls.js players load a channel with a
 * wrong password, each from its own simulated client, each in the retry wrapper IPTV web players ship (a fatal
 * error → load again). The naive one uses hls.js as shipped; the guarded one the project's loader
 * (createHlsLoader) on a flood guard whose waits pass on a simulated clock, so the demo takes seconds, not minutes.
 * Afterwards both clients play the channel with the right password: the naive one is locked out, the guarded one
 * plays.
 */
import { createFloodGuard, type Diagnosis, type FloodGuard } from '../../components/index.js';
import { livePath, panelKey, randomClient, requestHeaders, type Panel } from './calls.js';
import { play, type Playback } from './engines.js';
import { logLine, setAvailable, ui, view } from './page.js';
import { currentPanel } from './session.js';

const ATTEMPTS = 12;
/** The wrapper's pause before it loads again (the waits of the guard come on top, fast-forwarded). */
const RESTART_MS = 250;
const WRONG = { username: 'demo', password: 'wrong-password' };
const RIGHT = { username: 'demo', password: 'test123' };
const CHANNEL = 1001;

interface Clients {
  panel: Panel;
  naive: string;
  guarded: string;
}

let clients: Clients | undefined;
let loopGuard: FloodGuard | undefined;
let loopKey = '';
let skew = 0;
const playing = new Map<HTMLVideoElement, Playback>();

function attempt(list: HTMLElement, text: string, className = ''): void {
  const li = document.createElement('li');
  li.textContent = text;
  if (className) li.className = className;
  list.append(li);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function stopVideo(video: HTMLVideoElement): void {
  playing.get(video)?.stop();
  playing.delete(video);
}

function isBlock(diagnosis: Diagnosis | null, status?: number): boolean {
  return status === 403 || diagnosis?.code === 'PANEL_BLOCK';
}

/** Loads with hls.js as shipped until `ATTEMPTS` requests reached the panel. */
async function naiveLoop(panel: Panel, ip: string): Promise<{ blockedAt: number; last: Diagnosis | null }> {
  let sent = 0;
  let blockedAt = 0;
  let last: Diagnosis | null = null;
  while (sent < ATTEMPTS) {
    await new Promise<void>((done) => {
      let status: number | undefined;
      const playback = play('hls', ui.naiveVideo, livePath(WRONG.username, WRONG.password, CHANNEL, 'm3u8'), {
        headers: requestHeaders(panel, ip),
        onHttpError: (code) => (status = code),
        onDiagnosis: (diagnosis) => (last = diagnosis),
        onFatal: () => {
          sent++;
          const blocked = isBlock(last, status);
          if (blocked && !blockedAt) blockedAt = sent;
          attempt(ui.naiveLog, `#${sent} ${status ?? 'no answer'} ${blocked ? 'empty: blocked' : (last?.code ?? '')}`.trim(), blocked ? 'blocked' : '');
          done();
        },
      });
      playing.set(ui.naiveVideo, playback);
    });
    stopVideo(ui.naiveVideo);
    await sleep(RESTART_MS);
  }
  return { blockedAt, last };
}

/** The same wrapper around hls.js with the project's loader: every request asks the guard first. */
async function guardedLoop(panel: Panel, ip: string, guard: FloodGuard, key: string): Promise<{ sent: number; paused: string; last: Diagnosis | null }> {
  let sent = 0;
  let paused = '';
  let last: Diagnosis | null = null;
  while (sent < ATTEMPTS && !paused) {
    await new Promise<void>((done) => {
      const playback = play('hls', ui.guardedVideo, livePath(WRONG.username, WRONG.password, CHANNEL, 'm3u8'), {
        guard,
        key,
        headers: requestHeaders(panel, ip),
        onDiagnosis: (diagnosis, info) => {
          // A held request never reached the panel: only the answers count as attempts.
          if (info.held) return;
          sent++;
          last = diagnosis;
          attempt(ui.guardedLog, `#${sent} ${diagnosis?.httpStatus ?? ''} ${diagnosis?.code ?? 'OK'}`.replace('  ', ' '), isBlock(diagnosis) ? 'blocked' : '');
        },
        onFatal: () => done(),
      });
      playing.set(ui.guardedVideo, playback);
    });
    stopVideo(ui.guardedVideo);
    const status = await guard.check(key);
    if (!status.allowed) {
      if ((status.reason === 'backoff' || status.reason === 'retry-after') && status.retryAt !== undefined) {
        const wait = Math.max(0, status.retryAt - guard.now()) + 1;
        skew += wait;
        attempt(ui.guardedLog, `waits ${(wait / 1000).toFixed(1)} s`, 'wait');
      } else {
        paused = status.reason ?? 'paused';
        attempt(ui.guardedLog, `paused (${paused})`, 'paused');
      }
    }
    await sleep(RESTART_MS);
  }
  return { sent, paused, last };
}

function showBanner(banner: typeof ui.naiveBanner, diagnosis: Diagnosis | null, guard?: FloodGuard, key?: string): void {
  if (!diagnosis) return;
  banner.theme = view.theme;
  if (guard) {
    banner.guard = guard;
    banner.guardKey = key;
  }
  banner.diagnosis = diagnosis;
  banner.hidden = false;
}

export async function runLoops(): Promise<void> {
  const panel = currentPanel();
  const run = randomClient('10.66').split('.').slice(2).join('.');
  clients = { panel, naive: `10.66.${run}`, guarded: `10.77.${run}` };
  setAvailable(ui.loopRun, undefined, 'running');
  setAvailable(ui.loopCheck, ui.loopCheckReason, 'Wait for both loops to finish.');
  ui.naiveIp.textContent = `as ${clients.naive} (${panel})`;
  ui.guardedIp.textContent = `as ${clients.guarded} (${panel})`;
  for (const list of [ui.naiveLog, ui.guardedLog]) list.replaceChildren();
  for (const summary of [ui.naiveSummary, ui.guardedSummary]) {
    summary.textContent = '';
    summary.className = 'summary';
  }
  ui.naiveBanner.hidden = ui.guardedBanner.hidden = true;
  try {
    const naive = await naiveLoop(panel, clients.naive);
    ui.naiveSummary.textContent = naive.blockedAt
      ? `The panel blocked this client at attempt ${naive.blockedAt}: the viewer is locked out, even with the right password.`
      : 'The panel did not block this client (is its flood protection off?).';
    ui.naiveSummary.classList.add(naive.blockedAt ? 'bad' : 'ok');
    showBanner(ui.naiveBanner, naive.last);
    logLine(`Naive player loop (${panel}, client ${clients.naive}): ${ATTEMPTS} requests, ${naive.blockedAt ? `blocked by the panel at #${naive.blockedAt}` : 'never blocked'}`, naive.blockedAt ? 'bad' : 'ok');

    skew = 0;
    loopGuard = createFloodGuard({ now: () => Date.now() + skew });
    loopKey = panelKey(panel, clients.guarded);
    const guarded = await guardedLoop(panel, clients.guarded, loopGuard, loopKey);
    const status = await loopGuard.check(loopKey);
    ui.guardedSummary.textContent = guarded.paused
      ? `The guard paused after ${status.failures} failures, one short of the panel's block. The client is not blocked: the right password still works.`
      : `All ${guarded.sent} attempts were sent.`;
    ui.guardedSummary.classList.add(guarded.paused ? 'ok' : 'bad');
    showBanner(ui.guardedBanner, guarded.last, loopGuard, loopKey);
    logLine(`Guarded player loop (${panel}, client ${clients.guarded}): ${guarded.sent} sent, ${guarded.paused ? `paused (${guarded.paused}) before the panel's block` : 'not paused'}`, guarded.paused ? 'ok' : 'bad');
    setAvailable(ui.loopCheck, ui.loopCheckReason, undefined);
  } finally {
    setAvailable(ui.loopRun, undefined, undefined);
    if (!clients || ui.loopCheck.disabled) setAvailable(ui.loopCheck, ui.loopCheckReason, 'Run both loops first.');
  }
}

/** "Try anyway" on the guarded loop's banner (the banner asked the guard for one ticket): one more load. */
export async function loopTryAnyway(): Promise<void> {
  if (!clients || !loopGuard) return;
  const { panel, guarded } = clients;
  await new Promise<void>((done) => {
    const playback = play('hls', ui.guardedVideo, livePath(WRONG.username, WRONG.password, CHANNEL, 'm3u8'), {
      guard: loopGuard,
      key: loopKey,
      headers: requestHeaders(panel, guarded),
      onDiagnosis: (diagnosis, info) => {
        attempt(ui.guardedLog, `tried anyway: ${info.held ? 'not sent' : `${diagnosis?.httpStatus ?? ''} ${diagnosis?.code ?? 'OK'}`}`, info.held ? 'wait' : isBlock(diagnosis) ? 'blocked' : '');
        if (diagnosis && !info.held) ui.guardedBanner.diagnosis = diagnosis;
      },
      onFatal: () => done(),
    });
    playing.set(ui.guardedVideo, playback);
  });
  stopVideo(ui.guardedVideo);
}

/** Both clients play the channel with the right password: the blocked one cannot, the guarded one plays. */
export async function checkLoopClients(): Promise<void> {
  if (!clients) return;
  const { panel } = clients;
  for (const [video, list, ip, name, banner] of [
    [ui.naiveVideo, ui.naiveLog, clients.naive, 'naive', ui.naiveBanner],
    [ui.guardedVideo, ui.guardedLog, clients.guarded, 'guarded', ui.guardedBanner],
  ] as const) {
    stopVideo(video);
    const result = await new Promise<{ ok: boolean; code?: string }>((done) => {
      const timer = setTimeout(() => done({ ok: false, code: 'no picture' }), 15_000);
      // Playing = the picture moves on (a live stream starts at its live edge: its first time proves nothing).
      let from: number | undefined;
      const onTime = () => {
        from ??= video.currentTime;
        if (video.currentTime - from <= 0.5 || video.readyState < 2) return;
        clearTimeout(timer);
        video.removeEventListener('timeupdate', onTime);
        done({ ok: true });
      };
      video.addEventListener('timeupdate', onTime);
      let last: Diagnosis | null = null;
      const playback = play('hls', video, livePath(RIGHT.username, RIGHT.password, CHANNEL, 'm3u8'), {
        headers: requestHeaders(panel, ip),
        onDiagnosis: (diagnosis) => (last = diagnosis),
        onFatal: (detail) => {
          clearTimeout(timer);
          video.removeEventListener('timeupdate', onTime);
          done({ ok: false, code: last?.code ?? detail });
        },
      });
      playing.set(video, playback);
    });
    attempt(list, `right password: ${result.ok ? 'plays' : `refused (${result.code})`}`, result.ok ? 'paused' : 'blocked');
    if (result.ok) banner.hidden = true;
    logLine(`Right password from the ${name} loop's client ${ip}: ${result.ok ? 'plays' : `refused (${result.code})`}`, result.ok ? 'ok' : 'bad');
  }
}

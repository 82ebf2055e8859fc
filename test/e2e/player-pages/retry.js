/*
 * The retry wrapper every IPTV web player ships in some form: on a fatal error, tear the player down and load
 * the same URL again after 1–2 s (random in [1000, 2000] ms), forever. Shared by the player pages in this folder
 * (test/e2e/players.ts serves them); `?src=URL` chooses the stream. With `&login=URL` the page first signs in
 * (one fetch of that player_api URL, as Xtream web players do) and then plays, whatever the answer.
 *
 * window.__stats is what the tests read:
 *   attempts      players created (the first load counts)
 *   errors        fatal errors seen (each one schedules a retry)
 *   playing       currentTime advanced (> 0.5 s) in some attempt
 *   playingEvent  a 'playing' event fired in some attempt
 *   maxTime       the highest currentTime seen
 *   lastErrors    the last few error descriptions (newest last)
 *   login         the sign-in's HTTP status (or 'error'), when `login` was given
 */
if (/[?&]adapter=1(?:&|$)/.test(location.search)) {
  // Parser-blocking on purpose: the adapter must be there before the page's player script runs.
  document.write('<script src="/adapters.js"><\/script><script src="adapter.js"><\/script>');
}
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const stats = {
    player: '',
    src: params.get('src') || '',
    attempts: 0,
    errors: 0,
    playing: false,
    playingEvent: false,
    maxTime: 0,
    lastErrors: [],
    startedAt: Date.now(),
    firstPlayingAt: null,
    stopped: false,
    login: null,
  };
  window.__stats = stats;

  /**
   * `start(container, src, fail)` builds one player in `container` and returns `{ media, destroy }`:
   * `media` is the <video> whose progress is watched, `destroy()` tears the player down. `fail(reason)` is
   * called by the page's error handler on a fatal error.
   */
  window.startRetryLoop = function (name, start) {
    stats.player = name;
    const container = document.getElementById('player');
    let current = null;
    let timer = null;
    const run = () => {
      timer = null;
      if (stats.stopped) return;
      const attempt = ++stats.attempts;
      let failed = false;
      const fail = (reason) => {
        if (failed || attempt !== stats.attempts) return;
        failed = true;
        stats.errors++;
        stats.lastErrors.push(`#${attempt} ${String(reason).slice(0, 200)}`);
        if (stats.lastErrors.length > 8) stats.lastErrors.shift();
        const old = current;
        current = null;
        try {
          old && old.destroy();
        } catch (error) {
          stats.lastErrors.push(`destroy: ${error}`);
        }
        container.textContent = '';
        if (!stats.stopped) timer = setTimeout(run, 1000 + Math.floor(Math.random() * 1001));
      };
      try {
        current = start(container, stats.src, fail);
      } catch (error) {
        fail(`start threw: ${error}`);
        return;
      }
      const media = current && current.media;
      if (!media) return;
      media.addEventListener('playing', () => {
        if (attempt !== stats.attempts) return;
        stats.playingEvent = true;
      });
      media.addEventListener('timeupdate', () => {
        if (attempt !== stats.attempts) return;
        const time = media.currentTime || 0;
        if (time > stats.maxTime) stats.maxTime = time;
        if (time > 0.5 && !stats.playing) {
          stats.playing = true;
          stats.firstPlayingAt = Date.now();
        }
      });
      const played = media.play && media.play();
      if (played && played.catch) played.catch(() => undefined);
    };
    /** The test ends the loop (and releases the stream) with window.__stopPlayer(). */
    window.__stopPlayer = () => {
      stats.stopped = true;
      if (timer) clearTimeout(timer);
      try {
        current && current.destroy();
      } catch {}
      current = null;
      container.textContent = '';
    };
    const login = params.get('login');
    if (!login) return run();
    // With the adapter (adapter.js) the sign-in goes through guardedFetch and the page's guard, as a portal's does.
    (window.__xux ? window.__xux.signIn(login) : fetch(login, { cache: 'no-store' }))
      .then((response) => {
        stats.login = response.status;
        return response.text();
      })
      .catch(() => {
        stats.login = 'error';
      })
      .then(run);
  };

  /** A muted, autoplaying <video> in `container`. */
  window.newVideo = function (container, className) {
    const video = document.createElement('video');
    if (className) video.className = className;
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.controls = true;
    container.append(video);
    return video;
  };
})();

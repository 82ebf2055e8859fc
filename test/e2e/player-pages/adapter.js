/*
 * A portal's player with the project's adapter (pages loaded with `?adapter=1`, after /adapters.js): one flood
 * guard for the page, an <xtream-error-banner> over the player bound to it, and `window.__xux.options` for the
 * adapter (`createHlsLoader(Hls, __xux.options)`, …). The sign-in of retry.js goes through guardedFetch with the
 * same guard, as a portal's API calls do.
 *
 * window.__xux is what the tests read:
 *   codes    every diagnosis code onDiagnosis reported (newest last; held ones as `held:CODE`), at most 50
 *   held     how many requests the guard held back (they never reached the panel)
 *   reports  onDiagnosis calls in all
 *   allowed  requests the guard let through (begin answered allowed): the most that may reach the panel
 *   allowedAt when each was let through (Date.now())
 */
(function () {
  'use strict';
  if (!window.XUX) return;
  const guard = window.XUX.createFloodGuard();
  const banner = document.createElement('xtream-error-banner');
  banner.hidden = true;
  banner.guard = guard;
  const state = { codes: [], held: 0, reports: 0, allowed: 0, allowedAt: [], guard };
  const begin = guard.begin.bind(guard);
  guard.begin = (...args) =>
    begin(...args).then((ticket) => {
      if (ticket.allowed) {
        state.allowed++;
        state.allowedAt.push(Date.now());
      }
      return ticket;
    });
  const show = (diagnosis, info) => {
    state.reports++;
    if (diagnosis) {
      state.codes.push(`${info && info.held ? 'held:' : ''}${diagnosis.code}`);
      if (state.codes.length > 50) state.codes.shift();
    }
    if (info && info.held) state.held++;
    if (info && info.key) banner.guardKey = info.key;
    banner.diagnosis = diagnosis || undefined;
    banner.hidden = !diagnosis;
  };
  state.options = { guard, onDiagnosis: show };
  state.signIn = (url) =>
    window.XUX.guardedFetch(url, { cache: 'no-store' }, { guard }).then(
      (response) => {
        const diagnosis = window.XUX.responseDiagnosis(response);
        if (diagnosis) show(diagnosis, { key: guard.keyFor(response.url || url), held: false });
        return response;
      },
      (error) => {
        if (error instanceof window.XUX.FloodBlockedError && error.diagnosis) show(error.diagnosis, { key: error.key, held: true });
        throw error;
      },
    );
  window.__xux = state;
  document.addEventListener('DOMContentLoaded', () => {
    const player = document.getElementById('player');
    player.parentNode.insertBefore(banner, player);
  });
})();

/**
 * Sites, panel hosts and the patterns that name them. A site is enabled exactly when the extension
 * holds its host permission: these helpers translate between origins, match patterns and host names.
 */

/** `https://portal.example:8443/x` → `https://portal.example/*` (match patterns carry no port). */
export function originPattern(url: string | URL): string | undefined {
  try {
    const parsed = new URL(String(url));
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return `${parsed.protocol}//${parsed.hostname}/*`;
  } catch {
    return undefined;
  }
}

export function hostOf(url: string | URL | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The host name a granted match pattern covers (`*://x/*`, `https://x/*`); undefined for wildcards. */
export function patternHost(pattern: string): string | undefined {
  const match = /^(?:\*|https?):\/\/([^/*]+)\/\*?$/.exec(pattern) ?? /^(?:\*|https?):\/\/([^/*]+)\/.*$/.exec(pattern);
  return match?.[1]?.toLowerCase();
}

/** Whether a set of granted patterns covers a URL (exact host patterns; `<all_urls>` and `*://*\/*` cover all). */
export function patternsCover(patterns: readonly string[], url: string | URL | undefined): boolean {
  const host = hostOf(url);
  if (!host) return false;
  let scheme: string;
  try {
    scheme = new URL(String(url)).protocol.slice(0, -1);
  } catch {
    return false;
  }
  return patterns.some((pattern) => {
    if (pattern === '<all_urls>') return true;
    const match = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
    if (!match) return false;
    const [, patternScheme, patternHostName] = match;
    if (patternScheme !== '*' && patternScheme !== scheme) return false;
    if (patternHostName === '*') return true;
    if (patternHostName!.startsWith('*.')) {
      const base = patternHostName!.slice(2).toLowerCase();
      return host === base || host.endsWith(`.${base}`);
    }
    return patternHostName!.toLowerCase() === host;
  });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The panel's API and stream paths (what its flood protection counts): Xtream API, playlist and EPG,
 * stream and token paths, Stalker portal.php / load.php — never the portal's pages or Stream API billing.
 * Kept in step with core/endpoints.ts. Three expressions rather than one: Chrome compiles each regexFilter
 * under a 2 KB RE2 memory limit.
 */
const PANEL_PATHS = [
  '(?:[^?#]*/)?(?:player_api|panel_api|get|xmltv|portal|load)[.]php',
  '(?:player_api|live|movie|series|timeshift|auth|play|hls)/',
  '[^/?#]+/[^/?#]+/[0-9]+(?:[.][A-Za-z0-9]+)?(?:[?#]|$)',
];

/** declarativeNetRequest (RE2) regexFilters for a panel host's API and stream requests, on any port. */
export function panelRegexFilters(host: string): string[] {
  return PANEL_PATHS.map((path) => `^https?://${escapeRegex(host)}(?::[0-9]+)?/${path}`);
}

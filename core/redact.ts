/**
 * Credentials out of URLs and text: username, password, token, MAC, serial number, device id.
 * What remains (host, endpoint, action, stream id) stays useful to support staff.
 */

export const REDACTED = '***';

/** Query/JSON/cookie names whose values are credentials. */
const SECRET_NAME =
  '(?:user(?:name)?|login|pass(?:word|wd)?|pwd|token|access_token|refresh_token|play_token|stream_token|auth|authorization|jwt|session(?:id)?|sid|api_?key|key|signature|sig|hash|mac|mac_?address|sn|serial(?:_?number)?|stb_?sn|device_?id\\d*|device_?id2|uid|hw_?version_?2|client_?secret)';
const SECRET_PARAM = new RegExp(`^${SECRET_NAME}$`, 'i');
/** A parameter whose value is itself a URL (Stalker `cmd`, redirects) — redacted recursively. */
const URL_PARAM = /^(?:cmd|url|redirect|return_?url|next|src|stream_?url)$/i;

const MAC = /\b(?:[0-9a-f]{2}(?::|-|%3a)){5}[0-9a-f]{2}\b/gi;

/** Path forms whose segments are credentials: [pattern, the indexes (1-based segments) to redact]. */
const PATH_FORMS: ReadonlyArray<readonly [RegExp, readonly number[]]> = [
  // /live|movie|series|timeshift/USER/PASS, then anything (a stream id, a folder, an HLS index) or nothing
  [/^\/(?:live|movie|series|timeshift)\/[^/]+\/[^/]+(?:\/.*)?$/i, [2, 3]],
  [/^\/player_api\/[^/]+\/[^/]+(?:\/.*)?$/i, [2, 3]],
  [/^\/(?:auth|play|hls)\/[^/]+(?:\/.*)?$/i, [2]],
  // The short live form /USER/PASS/ID(.ext)
  [/^\/[^/]+\/[^/]+\/\d+(?:\.[a-z0-9]{1,5})?$/i, [1, 2]],
];

function redactPath(path: string): string {
  for (const [form, indexes] of PATH_FORMS) {
    if (!form.test(path)) continue;
    const segments = path.split('/');
    for (const index of indexes) if (segments[index]) segments[index] = REDACTED;
    return segments.join('/').replace(MAC, REDACTED);
  }
  return path.replace(MAC, REDACTED);
}

function redactQuery(search: string): string {
  if (!search || search === '?') return search;
  const parts = search.replace(/^\?/, '').split('&');
  const kept = parts.map((part) => {
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      /* keep the raw name */
    }
    // A query copied out of HTML keeps its `&amp;`: the name is what follows it.
    name = name.replace(/^(?:amp;)+/i, '');
    if (eq === -1) return part.replace(MAC, REDACTED);
    const value = part.slice(eq + 1);
    if (SECRET_PARAM.test(name.trim())) return `${rawName}=${REDACTED}`;
    if (URL_PARAM.test(name.trim())) {
      let decoded = value;
      try {
        decoded = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        /* keep it */
      }
      return `${rawName}=${encodeURIComponent(redactText(decoded))}`;
    }
    // A value holding structure (Stalker's `metrics` JSON, a nested query): its credentials go too.
    let decoded = value;
    try {
      decoded = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      /* keep it */
    }
    if (/[{=:]/.test(decoded)) {
      const clean = redactText(decoded);
      if (clean !== decoded) return `${rawName}=${encodeURIComponent(clean)}`;
    }
    return `${rawName}=${value.replace(MAC, REDACTED)}`;
  });
  return `?${kept.join('&')}`;
}

const URL_SHAPE = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i;

/**
 * Removes every credential from a URL, absolute or relative, in every Xtream, Stalker and
 * stream-token form. Never throws; what is not a URL is treated as text.
 */
export function redactUrl(url: string | URL): string {
  let text: string;
  try {
    text = String(url);
  } catch {
    return REDACTED;
  }
  const match = URL_SHAPE.exec(text);
  if (!match) return redactText(text);
  const [, scheme = '', authorityRaw = '', pathRaw = '', query = '', fragment = ''] = match;
  let authority = authorityRaw;
  let path = pathRaw;
  if (!scheme) {
    // Relative: what looked like an authority is the first path segment.
    path = authorityRaw + pathRaw;
    authority = '';
  }
  // user:pass@host
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  return `${scheme}${authority}${redactPath(path)}${redactQuery(query)}${fragment ? redactFragment(fragment) : ''}`;
}

function redactFragment(fragment: string): string {
  return fragment.includes('=') ? `#${redactQuery(`?${fragment.slice(1)}`).slice(1)}` : fragment.replace(MAC, REDACTED);
}

const ABSOLUTE_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const RELATIVE_CREDENTIAL_PATH = /(^|[\s"'(=])(\/(?:live|movie|series|timeshift|player_api|auth|play|hls)\/[^\s"'<>`?#]+(?:\?[^\s"'<>`#]*)?)/gi;
const KEY_VALUE = new RegExp(`(\\b${SECRET_NAME}\\s*=\\s*)("[^"]*"|'[^']*'|[^&\\s;,"'<>]+)`, 'gi');
const JSON_PAIR = new RegExp(`("${SECRET_NAME}"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|-?\\d[\\d.eE+-]*|true|false)`, 'gi');
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/gi;

/**
 * Removes credentials from free text: URLs in it, `name=value` pairs, JSON fields, Bearer
 * tokens, MAC addresses — and any literal secret the caller knows (`secrets`).
 */
export function redactText(text: unknown, secrets: readonly string[] = []): string {
  let out: string;
  try {
    out = typeof text === 'string' ? text : String(text);
  } catch {
    return REDACTED;
  }
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length >= 3) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(ABSOLUTE_URL, (url) => redactUrl(url))
    .replace(RELATIVE_CREDENTIAL_PATH, (_all, lead: string, path: string) => lead + redactUrl(path))
    .replace(JSON_PAIR, (_all, lead: string) => `${lead}"${REDACTED}"`)
    .replace(KEY_VALUE, (_all, lead: string) => `${lead}${REDACTED}`)
    .replace(BEARER, (_all, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(MAC, REDACTED);
}

import { catalog, lookup, type CatalogEntry, type FloodCount, type Source } from './catalog.js';
import { describeEndpoint } from './endpoints.js';
import { maskedMeaning } from './panel-rules.js';
import { redactText } from './redact.js';
import type { AccountFacts, Diagnosis, Endpoint, Observation } from './types.js';

export interface ClassifyOptions {
  /** The client's clock (ms); used only when the response carries no Date header. */
  now?: () => number;
}

/** Bodies longer than this are scanned for codes but never parsed whole. */
const PARSE_LIMIT = 1_000_000;
/** How much of a long body is scanned for a named code. */
const SCAN_LIMIT = 64 * 1024;
/** A successful body longer than this is data (channel lists…), not an error message. */
const SHORT_TEXT = 512;
const RETRY_AFTER_CAP_MS = 60 * 60_000;
const SEEN_LIMIT = 200;

const CODE_SHAPE = /^[A-Z][A-Z0-9_]{2,63}$/;
const EXCEPTION_SHAPE = /^[A-Z][A-Za-z0-9]{2,63}Error$/;
const NAMED_CODE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z][A-Za-z]+Error\b|\bCRACKED\b/g;
const NAMEABLE_KINDS = new Set(['log-code', 'stream-api-code', 'exception-class']);

/** Reads a property without letting a hostile object (a throwing proxy or getter) escape. */
function get(value: unknown, key: string): unknown {
  try {
    return value !== null && (typeof value === 'object' || typeof value === 'function')
      ? (value as Record<string, unknown>)[key]
      : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  try {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

function text(value: unknown, limit = 2_000): string | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    const s = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (s === undefined) return undefined;
    return s.length > limit ? `${s.slice(0, limit)}…` : s;
  } catch {
    return undefined;
  }
}

/**
 * A short, redacted, text-only description of anything: the "what was seen" line of a fallback.
 * Objects JSON can't read (throwing getters, proxies) are read field by field.
 */
export function describeSeen(value: unknown, limit = SEEN_LIMIT): string {
  try {
    if (value === undefined) return 'undefined';
    if (typeof value === 'symbol') return 'symbol';
    if (typeof value === 'function') return 'function';
    if (typeof value === 'string') return redactText(value.slice(0, limit));
    const seen = new WeakSet<object>();
    const json = JSON.stringify(value, (_key, inner: unknown) => {
      if (inner !== null && typeof inner === 'object') {
        if (seen.has(inner)) return '[circular]';
        seen.add(inner);
      }
      return typeof inner === 'bigint' ? inner.toString() : inner;
    });
    return redactText((json ?? String(value)).slice(0, limit));
  } catch {
    return describeFields(value, limit);
  }
}

function describeFields(value: unknown, limit: number): string {
  try {
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).slice(0, 30)) {
      try {
        const field = (value as Record<string, unknown>)[key];
        fields[key] = field !== null && typeof field === 'object' ? '[object]' : typeof field === 'function' ? '[function]' : field;
      } catch {
        fields[key] = '[unreadable]';
      }
    }
    return redactText(JSON.stringify(fields).slice(0, limit));
  } catch {
    return typeof value;
  }
}

// ── headers ───────────────────────────────────────────────────────────────────

type HeaderReader = (name: string) => string | undefined;

function headerReader(headers: unknown): HeaderReader {
  try {
    if (!headers) return () => undefined;
    const getFn = get(headers, 'get');
    if (typeof getFn === 'function') {
      return (name) => {
        try {
          return (getFn.call(headers, name) as string | null) ?? undefined;
        } catch {
          return undefined;
        }
      };
    }
    const map = new Map<string, string>();
    const entries: Iterable<unknown> = Symbol.iterator in Object(headers) && !isRecord(headers)
      ? (headers as Iterable<unknown>)
      : Object.entries(headers as Record<string, unknown>);
    for (const pair of entries) {
      if (!Array.isArray(pair) || pair.length < 2) continue;
      const [name, value] = pair as [unknown, unknown];
      if (typeof name !== 'string') continue;
      const joined = Array.isArray(value) ? value.join(', ') : value;
      if (typeof joined === 'string' || typeof joined === 'number') map.set(name.toLowerCase(), String(joined));
    }
    return (name) => map.get(name.toLowerCase());
  } catch {
    return () => undefined;
  }
}

function parseHttpDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Retry-After as ms from the response time: seconds, or an HTTP date read against the response's Date. */
export function parseRetryAfter(value: string | undefined, serverTime: number | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number | undefined;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = parseHttpDate(trimmed);
    if (at !== undefined) ms = at - (serverTime ?? now);
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), RETRY_AFTER_CAP_MS);
}

// ── account facts ────────────────────────────────────────────────────────────

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 1 || value === '1' || value === 'true') return true;
  if (value === false || value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}

export interface AccountOptions {
  /** The response's Date header in ms: expiry is judged against the server's clock when known. */
  serverTime?: number;
  now?: () => number;
}

/**
 * The facts viewers ask about, from a `user_info` — for a failed login and a successful one alike,
 * so a portal can warn before the subscription ends.
 */
export function describeAccount(userInfo: unknown, options: AccountOptions = {}): AccountFacts {
  const facts: { -readonly [K in keyof AccountFacts]: AccountFacts[K] } = {};
  try {
    if (!isRecord(userInfo)) return facts;
    const status = get(userInfo, 'status');
    if (typeof status === 'string' && status) facts.status = status.slice(0, 40);
    const expRaw = get(userInfo, 'exp_date');
    const exp = toNumber(expRaw);
    if (exp !== undefined && exp > 0) facts.expiresAt = exp * 1000;
    else if (expRaw === null || expRaw === 'null' || expRaw === '' || exp === 0) {
      if ('exp_date' in userInfo) facts.expiresAt = null;
    }
    const reference = options.serverTime ?? options.now?.() ?? Date.now();
    if (typeof facts.expiresAt === 'number') {
      facts.msLeft = facts.expiresAt - reference;
      facts.expired = facts.msLeft <= 0;
    }
    const active = toNumber(get(userInfo, 'active_cons'));
    if (active !== undefined) facts.activeConnections = active;
    const max = toNumber(get(userInfo, 'max_connections'));
    if (max !== undefined) facts.maxConnections = max;
    const trial = toBoolean(get(userInfo, 'is_trial'));
    if (trial !== undefined) facts.trial = trial;
    const created = toNumber(get(userInfo, 'created_at'));
    if (created !== undefined && created > 0) facts.createdAt = created * 1000;
  } catch {
    /* partial facts are still facts */
  }
  return facts;
}

// ── building a diagnosis ──────────────────────────────────────────────────────

interface Found {
  code: string;
  source?: Source;
  serverCode?: string;
  serverMessage?: string;
  details?: string;
  masked?: boolean;
  /** How the panel counts it, where a panel rule says it differs from the catalog (the replacement video: never). */
  flood?: FloodCount;
  account?: AccountFacts;
}

interface Context {
  status?: number;
  /** The raw URL (only matched by panel rules, never kept: `endpoint.url` is the redacted one). */
  url?: string;
  endpoint?: Endpoint;
  serverTime?: number;
  retryAfterMs?: number;
}

function fallbackKey(code: string, status: number | undefined): string {
  const statusEntry = status !== undefined ? lookup(String(status)) : undefined;
  if (statusEntry && statusEntry.severity !== 'success') return statusEntry.code;
  if (status !== undefined && status >= 500) return 'HTTP_SERVER_ERROR';
  if (/^5\d\d$/.test(code)) return 'HTTP_SERVER_ERROR';
  if (/^4\d\d$/.test(code) || (status !== undefined && status >= 400)) return 'HTTP_CLIENT_ERROR';
  return 'UNKNOWN';
}

function sourceFor(found: Found, entry: CatalogEntry, context: Context): Source {
  if (found.source) return found.source;
  const kind = context.endpoint?.kind;
  if (kind === 'stalker') return 'stalker';
  if (kind === 'stream-api') return 'stream-api';
  if (kind && kind !== 'other') return 'xtream';
  if (entry.kind === 'http-status' || entry.kind === 'fallback') return context.endpoint ? 'http' : entry.source === 'stream-api' ? 'stream-api' : 'http';
  return entry.source;
}

function build(found: Found, context: Context): Diagnosis {
  const known = lookup(found.code);
  const entry = known?.sameAs ? catalog[known.sameAs]! : (known ?? catalog[fallbackKey(found.code, context.status)]!);
  const code = known?.sameAs ?? found.code;
  const httpStatus = context.status ?? (/^\d{3}$/.test(code) ? Number(code) : undefined);
  const diagnosis: { -readonly [K in keyof Diagnosis]: Diagnosis[K] } = {
    source: sourceFor(found, entry, context),
    code,
    known: known !== undefined,
    key: entry.code,
    kind: entry.kind,
    category: entry.category,
    severity: entry.severity,
    fixer: entry.fixer,
    retry: entry.retry,
    flood: found.flood ?? entry.flood,
    definitive: entry.definitive,
  };
  if (httpStatus !== undefined) diagnosis.httpStatus = httpStatus;
  if (found.serverCode !== undefined) diagnosis.serverCode = found.serverCode;
  if (found.serverMessage) diagnosis.serverMessage = redactText(found.serverMessage);
  if (found.details) diagnosis.details = redactText(found.details);
  if (found.masked) diagnosis.masked = true;
  if (context.endpoint) diagnosis.endpoint = context.endpoint;
  if (found.account && Object.keys(found.account).length > 0) diagnosis.account = found.account;
  if (context.retryAfterMs !== undefined) diagnosis.retryAfterMs = context.retryAfterMs;
  if (context.serverTime !== undefined) diagnosis.serverTime = context.serverTime;
  return Object.freeze(diagnosis);
}

/** The diagnosis of a bare catalog code — success entries (200, 206, Active) included. */
export function diagnosisOf(code: string): Diagnosis {
  return build({ code: lookup(code) ? code : 'UNKNOWN' }, {});
}

function unreadable(input: unknown): Diagnosis {
  return Object.freeze({ ...build({ code: 'UNREADABLE' }, {}), seen: describeSeen(input) });
}

// ── reading bodies ────────────────────────────────────────────────────────────

const ACCOUNT_STATUS_CODE: Record<string, string> = {
  expired: 'USER_EXPIRED',
  banned: 'USER_BAN',
  disabled: 'USER_DISABLED',
};

function fromUserInfo(userInfo: unknown, context: Context, options: ClassifyOptions): Found | null {
  const account = describeAccount(userInfo, { serverTime: context.serverTime, now: options.now });
  const auth = toNumber(get(userInfo, 'auth'));
  const statusRaw = get(userInfo, 'status');
  const status = typeof statusRaw === 'string' ? statusRaw.trim() : undefined;
  const byStatus = status ? ACCOUNT_STATUS_CODE[status.toLowerCase()] : undefined;
  const message = text(get(userInfo, 'message'));
  const found = (code: string): Found => ({ code, serverCode: status, serverMessage: message, account, source: 'xtream' });
  if (auth === 1 || get(userInfo, 'auth') === true) {
    // Some panels answer auth 1 with a non-active status: believe the status.
    return byStatus ? found(byStatus) : null;
  }
  if (auth === 0 || get(userInfo, 'auth') === false) return found(byStatus ?? 'AUTH_FAILED');
  if (byStatus) return found(byStatus);
  if (status?.toLowerCase() === 'active') return null;
  // An empty or auth-less user_info is how many panels say "wrong credentials".
  return found('AUTH_FAILED');
}

function fromEnvelope(error: Record<string, unknown>): Found {
  const rawCode = get(error, 'code');
  const code = typeof rawCode === 'string' && rawCode.trim() ? rawCode.trim().slice(0, 100) : typeof rawCode === 'number' ? String(rawCode) : 'STREAM_ERROR';
  return {
    code,
    source: 'stream-api',
    serverCode: typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode).slice(0, 100) : undefined,
    serverMessage: text(get(error, 'message')),
    details: text(get(error, 'additional_info') ?? get(error, 'details')),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  try {
    if (!isRecord(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

function isEnvelopeError(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && (get(value, 'code') !== undefined || get(value, 'message') !== undefined || get(value, 'additional_info') !== undefined);
}

function namedCode(body: string): string | undefined {
  const scanned = body.length > SCAN_LIMIT ? body.slice(0, SCAN_LIMIT) : body;
  for (const match of scanned.matchAll(NAMED_CODE)) {
    const entry = lookup(match[0]);
    if (entry && NAMEABLE_KINDS.has(entry.kind)) return entry.code;
  }
  return undefined;
}

function fromStalker(js: unknown, context: Context): Found | null {
  const action = context.endpoint?.action ?? '';
  if (action.endsWith('handshake') || (isRecord(js) && 'token' in js && Object.keys(js).length <= 3)) {
    const token = get(js, 'token');
    if (token === null || token === '' || (isRecord(js) && 'token' in js && typeof token !== 'string')) {
      return { code: 'STALKER_HANDSHAKE_REFUSED', source: 'stalker', serverMessage: text(get(js, 'msg') ?? get(js, 'error')) };
    }
  }
  if (js === false || js === null) {
    if (action) return { code: 'AUTH_FAILED', source: 'stalker' };
  }
  if (isRecord(js)) {
    const status = toNumber(get(js, 'status'));
    if (action.endsWith('get_profile') || 'stb_type' in js || 'mac' in js) {
      if (status === 1) return { code: 'STALKER_ACCOUNT_BLOCKED', source: 'stalker', serverMessage: text(get(js, 'msg')) };
      if (status === 2) return { code: 'STALKER_LOGIN_REQUIRED', source: 'stalker', serverMessage: text(get(js, 'msg')) };
    }
    const error = get(js, 'error');
    if (typeof error === 'string' && error) {
      return { code: lookup(error)?.code ?? namedCode(error) ?? error.slice(0, 100), source: 'stalker', serverCode: error.slice(0, 100) };
    }
  }
  return null;
}

/** Stalker/Ministra's plain-text refusals, lower-cased, without the final full stop. */
const STALKER_TEXT: Record<string, string> = {
  'authorization failed': 'AUTH_FAILED',
  'access denied': 'STALKER_ACCESS_DENIED',
};

function fromObjectBody(body: unknown, context: Context, options: ClassifyOptions): Found | null | undefined {
  if (Array.isArray(body)) return undefined;
  if (!isRecord(body)) return undefined;
  const error = get(body, 'error');
  if (isEnvelopeError(error)) return fromEnvelope(error);
  const userInfo = get(body, 'user_info');
  if (userInfo !== undefined) return fromUserInfo(userInfo, context, options);
  if ('js' in body) {
    const found = fromStalker(get(body, 'js'), context);
    if (found) return found;
  }
  if ('auth' in body && toNumber(get(body, 'auth')) === 0) return fromUserInfo(body, context, options);
  for (const field of ['error', 'code', 'error_code', 'status', 'message', 'result']) {
    const value = get(body, field);
    if (typeof value === 'string' && value) {
      const entry = lookup(value.trim());
      if (entry && NAMEABLE_KINDS.has(entry.kind)) return { code: entry.code, serverCode: value.trim(), serverMessage: text(get(body, 'message')) };
      const named = namedCode(value);
      if (named) return { code: named, serverCode: named, serverMessage: text(get(body, 'message')) };
      if (field === 'error' && CODE_SHAPE.test(value.trim())) return { code: value.trim(), serverCode: value.trim(), serverMessage: text(get(body, 'message')) };
    }
  }
  return undefined;
}

/**
 * Reads a body for an error. Returns a Found, `null` when the body proves success
 * (e.g. user_info auth 1), or `undefined` when the body says nothing either way.
 */
function fromBody(body: unknown, context: Context, options: ClassifyOptions): Found | null | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    const trimmed = body.length > PARSE_LIMIT ? body.slice(0, SCAN_LIMIT) : body.trim();
    if (!trimmed) return undefined;
    if (body.length <= PARSE_LIMIT && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
      try {
        return fromObjectBody(JSON.parse(trimmed), context, options);
      } catch {
        /* truncated or not JSON: read it as text */
      }
      const named = namedCode(trimmed);
      if (named) return { code: named, serverCode: named };
      if (context.status === undefined || context.status < 400) return { code: 'UNREADABLE', details: trimmed.slice(0, 200) };
    }
    const stalker = STALKER_TEXT[trimmed.toLowerCase().replace(/\.$/, '')];
    if (stalker) return { code: stalker, source: 'stalker', serverMessage: trimmed };
    const status = context.status;
    // A masked panel's fake web-server 404, or its replacement-video playlist (core/panel-rules.ts).
    const masked = maskedMeaning(context.endpoint, status, trimmed, context.url);
    if (masked) return { code: masked.code, masked: true, flood: masked.flood };
    const success = status !== undefined && status < 300;
    if (success && trimmed.length > SHORT_TEXT) return undefined;
    const named = namedCode(trimmed);
    if (named) return { code: named, serverCode: named, serverMessage: /^[A-Z0-9_]+$/.test(trimmed) ? undefined : trimmed.slice(0, 500) };
    return undefined;
  }
  if (typeof body === 'object') return fromObjectBody(body, context, options);
  return undefined;
}

// ── the entry point ──────────────────────────────────────────────────────────

const OBSERVATION_KEYS = ['status', 'url', 'headers', 'body', 'error'];

function isObservation(input: Record<string, unknown>): boolean {
  const keys = Object.keys(input);
  if (keys.length === 0) return false;
  if (keys.every((key) => key === 'error') && isEnvelopeError(get(input, 'error'))) return false;
  return keys.some((key) => OBSERVATION_KEYS.includes(key)) && !('user_info' in input) && !('js' in input);
}

function networkFailure(error: unknown): Found | null {
  const name = typeof error === 'string' ? error : text(get(error, 'name'), 100) ?? '';
  const message = typeof error === 'string' ? '' : (text(get(error, 'message'), 300) ?? '');
  if (name === 'AbortError' && !/timeout|timed out/i.test(message)) return null; // the page cancelled it
  if (/timeout|timed ?out/i.test(name) || /timeout|timed out/i.test(message)) {
    return { code: 'TIMEOUT', source: 'network', details: message || undefined };
  }
  return { code: 'NETWORK_ERROR', source: 'network', details: message || (typeof error === 'string' ? undefined : name) || undefined };
}

function classifyCodeString(input: string): Diagnosis | null {
  const trimmed = input.trim();
  if (/^\d{3}$/.test(trimmed)) return classifyStatus(Number(trimmed));
  const entry = lookup(trimmed) ?? lookup(trimmed.toUpperCase());
  if (entry) {
    if (entry.severity === 'success') return null;
    return build({ code: entry.code }, {});
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return classifyObservation({ body: trimmed }, {});
  if (CODE_SHAPE.test(trimmed) || EXCEPTION_SHAPE.test(trimmed)) {
    return build({ code: trimmed, serverCode: trimmed, source: EXCEPTION_SHAPE.test(trimmed) ? 'stream-api' : undefined }, {});
  }
  return classifyObservation({ body: input }, {}) ?? unreadable(input);
}

function classifyStatus(status: number): Diagnosis | null {
  if (!Number.isInteger(status) || status < 100 || status > 599) return unreadable(status);
  if (status < 400) return null;
  return build({ code: String(status) }, { status });
}

function classifyObservation(observation: Record<string, unknown>, options: ClassifyOptions): Diagnosis | null {
  const header = headerReader(get(observation, 'headers'));
  const serverTime = parseHttpDate(header('date'));
  const now = options.now?.() ?? Date.now();
  const rawStatus = get(observation, 'status');
  const statusNumber = typeof rawStatus === 'string' && /^\s*\d{3}\s*$/.test(rawStatus) ? Number(rawStatus) : typeof rawStatus === 'number' ? rawStatus : undefined;
  const status = statusNumber !== undefined && Number.isInteger(statusNumber) && statusNumber >= 100 && statusNumber <= 599 ? statusNumber : undefined;
  const url = get(observation, 'url');
  const context: Context = {
    status,
    url: typeof url === 'string' ? url : url instanceof URL ? url.href : undefined,
    endpoint: typeof url === 'string' || url instanceof URL ? describeEndpoint(url) : undefined,
    serverTime,
    retryAfterMs: parseRetryAfter(header('retry-after'), serverTime, now),
  };

  const error = get(observation, 'error');
  if (error !== undefined && error !== null && error !== false && status === undefined) {
    if (isEnvelopeError(error)) return build(fromEnvelope(error), context);
    const failure = networkFailure(error);
    return failure ? build(failure, context) : null;
  }

  const body = get(observation, 'body');
  const emptyBody = body === undefined || body === null || (typeof body === 'string' && body.trim() === '');
  const found = fromBody(body, context, options);
  if (found) return build(found, context);
  if (found === null && (status === undefined || status < 400)) return null;
  if (emptyBody && status !== undefined) {
    // No body to read (webRequest sees none; the panel sent none): what the status means on this endpoint.
    const masked = maskedMeaning(context.endpoint, status, undefined, context.url);
    if (masked) return build({ code: masked.code, masked: true, flood: masked.flood }, context);
  }

  if (status === undefined) {
    if (rawStatus !== undefined) return unreadable(observation);
    return found === null ? null : get(observation, 'body') === undefined && !url ? unreadable(observation) : null;
  }
  if (status < 400) return null;
  const serverMessage = typeof body === 'string' && body.length <= SHORT_TEXT && !/<[a-z!/]/i.test(body) ? body.trim() || undefined : undefined;
  return build({ code: String(status), serverMessage }, context);
}

/**
 * What a client saw → a Diagnosis, or `null` for success. Never throws: input it cannot read
 * gives the `UNREADABLE` diagnosis with a redacted summary of what was seen.
 *
 * Accepts an observation `{ status?, url?, headers?, body?, error? }`, a bare code string, a bare
 * HTTP status, a bare Stream API envelope `{ error: { code, … } }` or a bare Xtream body `{ user_info }`.
 */
export function classify(input: unknown, options: ClassifyOptions = {}): Diagnosis | null {
  try {
    if (typeof input === 'number') return classifyStatus(input);
    if (typeof input === 'string') return classifyCodeString(input);
    if (isRecord(input)) {
      if (isObservation(input)) return classifyObservation(input, options);
      const found = fromObjectBody(input, {}, options);
      if (found) return build(found, {});
      if (found === null) return null;
    }
    return unreadable(input);
  } catch {
    try {
      return unreadable(input);
    } catch {
      return build({ code: 'UNREADABLE' }, {});
    }
  }
}

/**
 * The extension's `storage.local` schema, its version and migrations. Only the background writes it.
 *
 * | key              | value                                                            |
 * | ---------------- | ---------------------------------------------------------------- |
 * | `schema`         | the schema version (SCHEMA_VERSION)                              |
 * | `flood:<host>`   | the flood guard's FloodState for a panel host (block-until lives here) |
 * | `trusted:<host>` | `{ at }`: the last failure webRequest itself counted there (a body-only success may not take it back) |
 * | `recent`         | RecentEntry[] — the last 50 diagnoses, redacted                  |
 * | `settings`       | `{ language: string | null }` (null: follow the browser)         |
 *
 * Nothing here holds a username, password, token, MAC, serial or device id: URLs are redacted and server
 * text is passed through `redactText` before it is stored (see sanitize.ts).
 * `storage.session` (cleared with the browser) holds `tabs`: tab id → { site, hosts } for badges and for
 * deciding which hosts a page's tap may report on, and `pendingEnable`: { tabId, origins, at } while a popup's
 * "Enable on this site" waits for its grant.
 */
import type { RecentEntry } from './messages.js';

export const SCHEMA_VERSION = 3;
export const RECENT_LIMIT = 50;
export const FLOOD_PREFIX = 'flood:';
export const TRUSTED_PREFIX = 'trusted:';

export interface Settings {
  readonly language: string | null;
}

export const DEFAULT_SETTINGS: Settings = { language: null };

/** The smallest storage surface migrations need (storage.local or a test double). */
export interface KeyValueArea {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

type Migration = (area: KeyValueArea) => Promise<void>;

/**
 * `migrations[n]` brings version n to n + 1. Version 1 (0.1.0 pre-releases) kept the recent list under
 * `diagnoses` and the language under `language`. Version 2 had no `trusted:<host>`: a count it kept may hold
 * failures webRequest saw, so each host with failures gets one (dated at its last failure) — a body-only
 * success then can't reset it; a trusted success or the quiet hour does.
 */
const migrations: Record<number, Migration> = {
  0: async () => undefined,
  1: async (area) => {
    const old = await area.get(['diagnoses', 'language']);
    const items: Record<string, unknown> = {};
    if (Array.isArray(old.diagnoses)) items.recent = old.diagnoses.slice(-RECENT_LIMIT);
    if (typeof old.language === 'string' || old.language === null) items.settings = { language: old.language };
    if (Object.keys(items).length) await area.set(items);
    await area.remove(['diagnoses', 'language']);
  },
  2: async (area) => {
    const all = await area.get(null);
    const items: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith(FLOOD_PREFIX) || !value || typeof value !== 'object') continue;
      const state = value as { failures?: unknown; lastFailureAt?: unknown };
      if (typeof state.failures !== 'number' || state.failures <= 0) continue;
      const at = typeof state.lastFailureAt === 'number' ? state.lastFailureAt : Date.now();
      items[TRUSTED_PREFIX + key.slice(FLOOD_PREFIX.length)] = { at };
    }
    if (Object.keys(items).length) await area.set(items);
  },
};

/** Brings stored data to SCHEMA_VERSION. Idempotent; unknown future versions are left alone. */
export async function migrate(area: KeyValueArea): Promise<number> {
  const { schema } = await area.get('schema');
  let version = typeof schema === 'number' && Number.isInteger(schema) && schema >= 0 ? schema : 0;
  if (version > SCHEMA_VERSION) return version;
  while (version < SCHEMA_VERSION) {
    await migrations[version]!(area);
    version += 1;
    await area.set({ schema: version });
  }
  return version;
}

export function readSettings(raw: unknown): Settings {
  const value = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return { language: typeof value.language === 'string' && value.language ? value.language : null };
}

export function readRecent(raw: unknown): RecentEntry[] {
  return Array.isArray(raw)
    ? raw.filter((entry): entry is RecentEntry => !!entry && typeof entry === 'object' && typeof (entry as RecentEntry).id === 'string')
    : [];
}

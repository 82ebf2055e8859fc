/** Accounts and devices: the demo users in every seed state, and the checks a request goes through. */
import type { ClientInfo, MagDevice, OutputFormat, PanelUser } from './types.js';

/** One user per state the seed documents. Passwords are demo-only. */
export const DEMO_USERS: readonly PanelUser[] = Object.freeze([
  { username: 'demo', password: 'test123', expiresInDays: 30, maxConnections: 2, note: 'active (the seed example account)' },
  { username: 'trial', password: 'trial123', expiresInDays: 1, isTrial: true, maxConnections: 1, note: 'active trial (is_trial "1")' },
  { username: 'expired', password: 'expired123', expiresInDays: -7, note: 'expired: exp_date in the past (USER_EXPIRED)' },
  { username: 'banned', password: 'banned123', status: 'Banned', expiresInDays: 30, note: 'banned by admin (USER_BAN)' },
  { username: 'disabled', password: 'disabled123', status: 'Disabled', expiresInDays: 30, note: 'disabled (USER_DISABLED)' },
  { username: 'single', password: 'single123', expiresInDays: 30, maxConnections: 1, note: 'max_connections 1 (USER_ALREADY_CONNECTED on a 2nd stream)' },
  { username: 'basic', password: 'basic123', expiresInDays: 30, bouquet: [1001, 1002, 1006, 2001, 3001], note: 'small bouquet: 1003-1005, 2002-2003, 3002 → 406 NOT_IN_BOUQUET' },
  { username: 'hlsonly', password: 'hlsonly123', expiresInDays: 30, allowedOutputFormats: ['m3u8'], note: "allowed_output_formats ['m3u8']: .ts → 405 USER_DISALLOW_EXT" },
  { username: 'iplocked', password: 'iplocked123', expiresInDays: 30, allowedIps: ['203.0.113.10'], note: 'only from 203.0.113.10 (else 403 IP_BAN)' },
  { username: 'geo', password: 'geo123', expiresInDays: 30, allowedCountries: ['GB'], note: 'only from country GB (else 403 COUNTRY_DISALLOW)' },
  { username: 'uarules', password: 'uarules123', expiresInDays: 30, bannedUserAgents: ['BadPlayer'], blockEmptyUserAgent: true, note: 'UA containing "BadPlayer" → 403 USER_AGENT_BAN; no UA → 403 EMPTY_UA' },
  { username: 'isplock', password: 'isplock123', expiresInDays: 30, ispLock: 'HomeFiber', note: 'locked to ISP HomeFiber (else 403 ISP_LOCK_FAILED)' },
]);

/** MAG boxes known to the Stalker portal. Any other MAC with the 00:1A:79 prefix is unknown (token null). */
export const DEMO_MAG_DEVICES: readonly MagDevice[] = Object.freeze([
  { mac: '00:1A:79:00:00:01', user: 'demo', status: 0, note: 'active box (profile status 0)' },
  { mac: '00:1A:79:00:00:02', user: 'demo', status: 1, note: 'blocked box (profile status 1)' },
  { mac: '00:1A:79:00:00:03', user: 'demo', status: 2, note: 'login required (profile status 2)' },
  { mac: '00:1A:79:00:00:04', user: 'demo', status: 0, denied: true, note: 'disallowed MAC: `Access denied.`' },
  { mac: '00:1A:79:00:00:05', user: 'basic', status: 0, note: 'active box on the small bouquet' },
]);

/** Also refused with `Access denied.`: any MAC outside these prefixes. */
export const MAG_PREFIXES = ['00:1A:79'];

export interface StoredUser extends Required<Omit<PanelUser, 'expiresInDays' | 'note' | 'bouquet' | 'allowedIps' | 'allowedCountries' | 'ispLock' | 'message'>> {
  expDate: number | null;
  bouquet?: number[];
  allowedIps?: string[];
  allowedCountries?: string[];
  ispLock?: string;
  message: string;
  note?: string;
}

export type AccountCode = 'AUTH_FAILED' | 'USER_EXPIRED' | 'USER_BAN' | 'USER_DISABLED';
export type AccessCode = 'CRACKED' | 'CON_SVP' | 'IP_BAN' | 'COUNTRY_DISALLOW' | 'ISP_LOCK_FAILED' | 'EMPTY_UA' | 'USER_AGENT_BAN';

export class UserStore {
  private users = new Map<string, StoredUser>();

  constructor(private readonly now: () => number) {}

  add(u: PanelUser): StoredUser {
    if (!u || typeof u.username !== 'string' || typeof u.password !== 'string' || !u.username) {
      throw new TypeError('a user needs a username and a password');
    }
    const nowS = Math.floor(this.now() / 1000);
    const expDate =
      u.expDate !== undefined ? u.expDate : u.expiresInDays !== undefined ? nowS + Math.round(u.expiresInDays * 86400) : null;
    const stored: StoredUser = {
      username: u.username,
      password: u.password,
      status: u.status ?? 'Active',
      expDate,
      createdAt: u.createdAt ?? nowS - 400 * 86400,
      isTrial: u.isTrial ?? false,
      maxConnections: u.maxConnections ?? 2,
      allowedOutputFormats: [...(u.allowedOutputFormats ?? ['m3u8', 'ts', 'rtmp'])] as OutputFormat[],
      bouquet: u.bouquet ? [...u.bouquet] : undefined,
      allowedIps: u.allowedIps ? [...u.allowedIps] : undefined,
      allowedCountries: u.allowedCountries?.map((c) => c.toUpperCase()),
      ispLock: u.ispLock,
      bannedUserAgents: [...(u.bannedUserAgents ?? [])],
      blockEmptyUserAgent: u.blockEmptyUserAgent ?? false,
      message: u.message ?? 'Welcome to the xtream-error-ux demo panel',
      note: u.note,
    };
    this.users.set(stored.username, stored);
    return stored;
  }

  patch(name: string, patch: Partial<PanelUser>): StoredUser {
    const cur = this.users.get(name);
    if (!cur) throw new Error(`no such user: ${name}`);
    const merged: PanelUser = { ...cur, ...patch, username: cur.username };
    if (patch.expiresInDays !== undefined && patch.expDate === undefined) delete (merged as { expDate?: unknown }).expDate;
    else if (patch.expDate === undefined) merged.expDate = cur.expDate;
    return this.add(merged);
  }

  get(name: string): StoredUser | undefined {
    return this.users.get(name);
  }

  all(): StoredUser[] {
    return [...this.users.values()];
  }

  clear(): void {
    this.users.clear();
  }

  isExpired(u: StoredUser): boolean {
    return u.expDate !== null && u.expDate * 1000 <= this.now();
  }

  /** Credentials and account state: null when the account may log in. */
  authenticate(username: string | null | undefined, password: string | null | undefined): { user?: StoredUser; code: AccountCode | null } {
    const u = username ? this.users.get(username) : undefined;
    if (!u || password !== u.password) return { code: 'AUTH_FAILED' };
    if (u.status === 'Banned') return { user: u, code: 'USER_BAN' };
    if (u.status === 'Disabled') return { user: u, code: 'USER_DISABLED' };
    if (this.isExpired(u)) return { user: u, code: 'USER_EXPIRED' };
    return { user: u, code: null };
  }
}

/** The client checks a stream or playlist request goes through after login, in panel order. */
export function checkAccess(u: StoredUser, client: ClientInfo, crackedIps: ReadonlySet<string>): AccessCode | null {
  if (crackedIps.has(client.ip)) return 'CRACKED';
  if (client.vpn) return 'CON_SVP';
  if (u.allowedIps && !u.allowedIps.includes(client.ip)) return 'IP_BAN';
  if (u.allowedCountries && !u.allowedCountries.includes(client.country.toUpperCase())) return 'COUNTRY_DISALLOW';
  if (u.ispLock && u.ispLock.toLowerCase() !== client.isp.toLowerCase()) return 'ISP_LOCK_FAILED';
  if (!client.userAgent.trim()) {
    if (u.blockEmptyUserAgent) return 'EMPTY_UA';
  } else if (u.bannedUserAgents.some((s) => client.userAgent.toLowerCase().includes(s.toLowerCase()))) {
    return 'USER_AGENT_BAN';
  }
  return null;
}

export function inBouquet(u: StoredUser, id: number): boolean {
  return !u.bouquet || u.bouquet.includes(id);
}

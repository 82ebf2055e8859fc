/** Small, realistic fake catalogue: a handful of categories, channels, movies and series. */

export interface LiveChannel {
  id: number;
  name: string;
  categoryId: string;
  epgId: string;
  archive: boolean;
}
export interface Movie {
  id: number;
  name: string;
  categoryId: string;
  ext: 'mp4' | 'mkv';
  year: number;
  rating: string;
  plot: string;
  /** Bytes; default the panel's vodSize. */
  size?: number;
}
export interface Episode {
  id: number;
  season: number;
  num: number;
  title: string;
  ext: 'mp4' | 'mkv';
}
export interface Series {
  id: number;
  name: string;
  categoryId: string;
  plot: string;
  episodes: Episode[];
}
export interface Category {
  category_id: string;
  category_name: string;
  parent_id: number;
}

export const LIVE_CATEGORIES: Category[] = [
  { category_id: '1', category_name: 'News', parent_id: 0 },
  { category_id: '2', category_name: 'Sports', parent_id: 0 },
  { category_id: '3', category_name: 'Movies 24/7', parent_id: 0 },
  { category_id: '4', category_name: 'Kids', parent_id: 0 },
];
export const VOD_CATEGORIES: Category[] = [
  { category_id: '10', category_name: 'Action', parent_id: 0 },
  { category_id: '11', category_name: 'Animation', parent_id: 0 },
];
export const SERIES_CATEGORIES: Category[] = [{ category_id: '20', category_name: 'Drama', parent_id: 0 }];

export const CHANNELS: LiveChannel[] = [
  { id: 1001, name: 'Demo News HD', categoryId: '1', epgId: 'demonews.uk', archive: true },
  { id: 1002, name: 'World Report', categoryId: '1', epgId: 'worldreport.us', archive: false },
  { id: 1003, name: 'Sports One', categoryId: '2', epgId: 'sportsone.uk', archive: true },
  { id: 1004, name: 'Sports Two 4K', categoryId: '2', epgId: 'sportstwo.uk', archive: false },
  { id: 1005, name: 'Cinema 24/7', categoryId: '3', epgId: 'cinema247.de', archive: false },
  { id: 1006, name: 'Cartoon Time', categoryId: '4', epgId: 'cartoontime.fr', archive: false },
];

export const MOVIES: Movie[] = [
  { id: 2001, name: 'Big Buck Bunny', categoryId: '11', ext: 'mp4', year: 2008, rating: '6.5', plot: 'A giant rabbit takes revenge on three bullies.' },
  { id: 2002, name: 'Sintel', categoryId: '10', ext: 'mkv', year: 2010, rating: '7.4', plot: 'A girl searches for her baby dragon.', size: 16 * 1024 * 1024 },
  { id: 2003, name: 'Tears of Steel', categoryId: '10', ext: 'mp4', year: 2012, rating: '6.1', plot: 'Warriors and scientists try to save the world.' },
];

export const SERIES: Series[] = [
  {
    id: 3001,
    name: 'The Demo Show',
    categoryId: '20',
    plot: 'A panel engineer explains error codes to viewers.',
    episodes: [
      { id: 4001, season: 1, num: 1, title: 'Pilot: 401', ext: 'mp4' },
      { id: 4002, season: 1, num: 2, title: 'The Bouquet', ext: 'mp4' },
      { id: 4101, season: 2, num: 1, title: 'Flood Warning', ext: 'mkv' },
    ],
  },
  {
    id: 3002,
    name: 'Range Requests',
    categoryId: '20',
    plot: 'Partial content, fully dramatized.',
    episodes: [{ id: 4201, season: 1, num: 1, title: 'Bytes 0-', ext: 'mp4' }],
  },
];

/**
 * The healthy, decodable stream: served from the real media fixtures in demo/media/ (scripts/make-media.sh) for
 * any user whose bouquet holds 9001 (every user without a bouquet). It is not listed in get_live_streams /
 * get_vod_streams / get.php / panel_api / Stalker lists, so the catalogue the other tests count stays as it was.
 */
export const MEDIA_STREAM_ID = 9001;
export const MEDIA_CHANNEL: LiveChannel = { id: MEDIA_STREAM_ID, name: 'Test Pattern (real media)', categoryId: '1', epgId: 'testpattern.local', archive: false };
export const MEDIA_MOVIE: Movie = { id: MEDIA_STREAM_ID, name: 'Test Pattern (real media)', categoryId: '11', ext: 'mp4', year: 2025, rating: '5.0', plot: 'Six seconds of a test pattern, really decodable.' };

const PROGRAMMES = ['Morning Briefing', 'Live Report', 'The Debate', 'Weather', 'Highlights', 'Documentary', 'Late Edition', 'Kids Club'];

export function channel(id: number): LiveChannel | undefined {
  return CHANNELS.find((c) => c.id === id) ?? (id === MEDIA_STREAM_ID ? MEDIA_CHANNEL : undefined);
}
export function movie(id: number): Movie | undefined {
  return MOVIES.find((m) => m.id === id) ?? (id === MEDIA_STREAM_ID ? MEDIA_MOVIE : undefined);
}
export function series(id: number): Series | undefined {
  return SERIES.find((s) => s.id === id);
}
/** The series an episode belongs to. */
export function episode(id: number): { series: Series; episode: Episode } | undefined {
  for (const s of SERIES) {
    const e = s.episodes.find((x) => x.id === id);
    if (e) return { series: s, episode: e };
  }
  return undefined;
}

export interface Programme {
  start: number; // ms
  stop: number;
  title: string;
  description: string;
}

/** Half-hour programmes around `now`, deterministic per channel. */
export function programmes(ch: LiveChannel, now: number, count: number): Programme[] {
  const slot = 30 * 60_000;
  const first = Math.floor(now / slot) * slot;
  const out: Programme[] = [];
  for (let i = 0; i < count; i++) {
    const start = first + i * slot;
    const title = PROGRAMMES[(Math.floor(start / slot) + ch.id) % PROGRAMMES.length]!;
    out.push({ start, stop: start + slot, title, description: `${title} on ${ch.name}.` });
  }
  return out;
}

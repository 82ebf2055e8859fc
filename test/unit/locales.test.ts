/**
 * Locale resources: locales/index.json and locales/<lng>/{ui,errors-xtream,errors-stalker,errors-billing,errors-common}.json.
 * English is the source of truth; every other language must mirror it exactly (keys, plural forms its
 * language needs, interpolation variables, array lengths) and must actually be translated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next from 'i18next';
import { ERROR_FILES, catalog, errorFileOf, textKeys } from '../../core/catalog.js';
import { LOCALE_FILES } from '../../core/i18n.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'locales');
/** `errors` is the four errors-*.json files merged, as the i18n namespace merges them. */
const NAMESPACES = ['errors', 'ui'] as const;
type Ns = (typeof NAMESPACES)[number];
const EXPECTED_LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt-BR', 'nl', 'pl', 'tr', 'ru', 'ar', 'hi'];
const RTL = new Set(['ar']);
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/**
 * Values a translation may leave identical to English. Reviewed by hand: each is a technical token,
 * a pure interpolation pattern, or a word that really is the same in some target language.
 *  - "OK": the universal status word (severity.success).
 *  - "×{{count}}", "{{title}} — {{severity}}": patterns with no words in them.
 *  - "Browser", "Endpoint": the standard terms in de/nl/it/pl UI vocabulary.
 *  - "Information", "Notifications": the same words in French; "Error": the same word in Spanish.
 */
const SAME_AS_ENGLISH_ALLOWED = new Set(['OK', '×{{count}}', '{{title}} — {{severity}}', 'Browser', 'Endpoint', 'Information', 'Notifications', 'Error']);

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Resources = Record<string, Record<Ns, Record<string, Json>>>;

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

interface LanguageInfo {
  code: string;
  name: string;
  dir: string;
}
const index = readJson(join(root, 'index.json')) as unknown as LanguageInfo[];
const folders = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory());

const resources: Resources = {};
const files: Record<string, Record<string, Record<string, Json>>> = {};
for (const lng of folders) {
  files[lng] = {};
  for (const file of LOCALE_FILES) files[lng][file] = readJson(join(root, lng, `${file}.json`)) as Record<string, Json>;
  resources[lng] = { ui: files[lng].ui!, errors: Object.assign({}, ...ERROR_FILES.map((file) => files[lng]![file])) };
}
const en = resources.en;

/** Flattens nested objects and arrays into `a.b.0`-style paths → leaf values. */
export function flatten(value: Json, prefix = '', out: Map<string, Json> = new Map()): Map<string, Json> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

function pluralCategories(lng: string): string[] {
  return [...new Intl.PluralRules(lng).resolvedOptions().pluralCategories];
}

/** Plural bases of the English namespace: keys `x_…` where `x_other` exists. */
function pluralBases(flat: Map<string, Json>): Set<string> {
  const bases = new Set<string>();
  for (const key of flat.keys()) if (key.endsWith('_other')) bases.add(key.slice(0, -'_other'.length));
  return bases;
}

/** The exact key set `lng` must have, derived from English: plural groups expanded to lng's categories. */
function expectedKeys(enFlat: Map<string, Json>, lng: string): Set<string> {
  const bases = pluralBases(enFlat);
  const keys = new Set<string>();
  for (const key of enFlat.keys()) {
    const m = PLURAL_SUFFIX.exec(key);
    if (!(m && bases.has(key.slice(0, m.index)))) keys.add(key);
  }
  for (const base of bases) for (const cat of pluralCategories(lng)) keys.add(`${base}_${cat}`);
  return keys;
}

/** The English key whose text a `lng` key corresponds to (plural forms → English `_other`). */
function englishCounterpart(enFlat: Map<string, Json>, key: string): string {
  const m = PLURAL_SUFFIX.exec(key);
  if (m && pluralBases(enFlat).has(key.slice(0, m.index))) return `${key.slice(0, m.index)}_other`;
  return key;
}

function variables(text: Json): string[] {
  if (typeof text !== 'string') return [];
  return [...new Set([...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((m) => m[1]))].sort();
}

/** Every problem of one namespace of one language against English; empty when it mirrors English. */
export function compareToEnglish(lng: string, enNs: Json, lngNs: Json): string[] {
  const problems: string[] = [];
  const enFlat = flatten(enNs);
  const flat = flatten(lngNs);
  const want = expectedKeys(enFlat, lng);
  for (const key of want) if (!flat.has(key)) problems.push(`${lng}: missing ${key}`);
  for (const key of flat.keys()) if (!want.has(key)) problems.push(`${lng}: extra ${key}`);
  for (const [key, value] of flat) {
    if (!want.has(key)) continue;
    const enKey = englishCounterpart(enFlat, key);
    const enValue = enFlat.get(enKey);
    if (typeof value !== 'string') {
      problems.push(`${lng}: ${key} is not a string`);
      continue;
    }
    if (value.trim() === '') problems.push(`${lng}: ${key} is empty`);
    if (/<\/?[a-z][^>]*>/i.test(value)) problems.push(`${lng}: ${key} contains HTML`);
    if (variables(value).join() !== variables(enValue as Json).join()) {
      problems.push(`${lng}: ${key} has variables [${variables(value)}], English ${enKey} has [${variables(enValue as Json)}]`);
    }
    if (lng !== 'en' && value === enFlat.get(key) && !SAME_AS_ENGLISH_ALLOWED.has(value)) {
      problems.push(`${lng}: ${key} is left identical to English: "${value}"`);
    }
  }
  // Arrays: same length (also implied by the flattened key sets, asserted directly for clear messages).
  const walk = (a: Json, b: Json, path: string): void => {
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) problems.push(`${lng}: ${path} array length differs from English`);
    } else if (a && typeof a === 'object' && b && typeof b === 'object' && !Array.isArray(b)) {
      for (const k of Object.keys(a)) walk(a[k], (b as Record<string, Json>)[k], path ? `${path}.${k}` : k);
    }
  };
  walk(enNs, lngNs, '');
  return problems;
}

test('the language list matches the locale folders (12 languages, Arabic right-to-left)', () => {
  assert.equal(index.length, 12);
  assert.deepEqual(index.map((l) => l.code).sort(), [...EXPECTED_LANGUAGES].sort());
  assert.deepEqual([...folders].sort(), [...EXPECTED_LANGUAGES].sort());
  assert.equal(new Set(index.map((l) => l.code)).size, index.length, 'codes are unique');
  for (const l of index) {
    assert.deepEqual(Intl.getCanonicalLocales(l.code), [l.code], `${l.code} is a canonical language tag`);
    assert.ok(typeof l.name === 'string' && l.name.trim() !== '', `${l.code} has a native name`);
    assert.equal(l.dir, RTL.has(l.code) ? 'rtl' : 'ltr', `${l.code} direction`);
  }
  assert.equal(index.find((l) => l.code === 'ar')?.name, 'العربية');
});

test('each language has exactly its ui, four error files and extension strings', () => {
  for (const lng of folders) {
    assert.deepEqual(readdirSync(join(root, lng)).sort(), [...LOCALE_FILES, 'extension'].map((file) => `${file}.json`).sort(), lng);
  }
});

test('every error text is in the file core/catalog errorFileOf names, in every language', () => {
  for (const lng of folders) {
    for (const file of ERROR_FILES) {
      for (const key of Object.keys(files[lng]![file]!)) assert.equal(errorFileOf(key), file, `${lng}/${file}.json holds ${key}`);
    }
  }
});

test('English error files have exactly the catalog text keys', () => {
  assert.deepEqual(Object.keys(en.errors).sort(), [...textKeys].sort());
  for (const alias of ['Expired', 'Banned', 'Disabled']) assert.ok(!(alias in en.errors), `${alias} borrows its target's texts`);
});

test('English plural keys use exactly the English plural categories', () => {
  for (const ns of NAMESPACES) {
    const flat = flatten(en[ns]);
    for (const base of pluralBases(flat)) {
      const forms = [...flat.keys()].filter((k) => PLURAL_SUFFIX.test(k) && k.slice(0, k.lastIndexOf('_')) === base);
      assert.deepEqual(forms.map((k) => k.slice(base.length + 1)).sort(), pluralCategories('en').sort(), base);
    }
  }
  assert.ok(pluralBases(flatten(en.ui)).has('retry.inMinutes'));
});

for (const lng of EXPECTED_LANGUAGES) {
  test(`${lng}: every file mirrors English (keys, plural forms, variables, arrays, translated, no HTML)`, () => {
    for (const file of LOCALE_FILES) {
      assert.ok(files[lng]?.[file], `${lng}/${file}.json exists`);
      assert.deepEqual(compareToEnglish(lng, files.en![file]!, files[lng]![file]!), [], `${lng}/${file}.json`);
    }
  });

  test(`${lng}: every error entry has the shape its severity calls for`, () => {
    const errors = resources[lng].errors as Record<string, Record<string, Json>>;
    for (const code of textKeys) {
      const entry = errors[code];
      assert.ok(entry && typeof entry === 'object', `${lng} ${code} exists`);
      const { severity } = catalog[code];
      if (severity === 'success') {
        assert.deepEqual(Object.keys(entry).sort(), ['title', 'what'], `${lng} ${code}: success entries have title and what only`);
      } else {
        assert.deepEqual(Object.keys(entry).sort(), ['solutions', 'title', 'what', 'who'], `${lng} ${code}`);
        const { solutions } = entry;
        assert.ok(Array.isArray(solutions) && solutions.length >= 1 && solutions.length <= 3, `${lng} ${code}: 1–3 solutions`);
        for (const s of solutions as Json[]) assert.ok(typeof s === 'string' && s.trim() !== '', `${lng} ${code}: solution text`);
      }
      for (const field of ['title', 'what', 'who'] as const) {
        if (field in entry) assert.ok(typeof entry[field] === 'string' && (entry[field] as string).trim() !== '', `${lng} ${code}.${field}`);
      }
      const title = entry.title as string;
      assert.ok(title.length <= 80, `${lng} ${code}: title ≤ 80 chars (${title.length})`);
      if (lng === 'en') assert.ok(title.length <= 60, `en ${code}: English title ≤ 60 chars (${title.length})`);
      // Error texts take no interpolation: the banner passes nothing to them.
      for (const [path, value] of flatten(entry)) assert.ok(!String(value).includes('{{'), `${lng} ${code}.${path} interpolates`);
    }
  });
}

test('the comparison itself catches broken translations', () => {
  const ru = resources.ru.ui as Record<string, Json>;
  const broken = structuredClone(ru) as Record<string, Record<string, Json>>;
  delete broken.retry['inMinutes_few'];
  broken.retry.inSeconds_one = 'Попробуйте снова через {{n}} секунду';
  broken.banner.dismiss = en.ui.banner && (en.ui.banner as Record<string, Json>).dismiss;
  broken.banner.retry = '<b>Повторить</b>';
  broken.stack.extra = 'лишний';
  const problems = compareToEnglish('ru', en.ui, broken).join('\n');
  assert.match(problems, /missing retry\.inMinutes_few/);
  assert.match(problems, /retry\.inSeconds_one has variables/);
  assert.match(problems, /banner\.dismiss is left identical/);
  assert.match(problems, /banner\.retry contains HTML/);
  assert.match(problems, /extra stack\.extra/);
  // English plural forms given to a language with more categories are reported.
  assert.match(compareToEnglish('ar', en.ui, en.ui).join('\n'), /missing retry\.inMinutes_zero/);
  const shortSolutions = structuredClone(resources.de.errors) as Record<string, Record<string, Json>>;
  (shortSolutions.USER_EXPIRED.solutions as Json[]).pop();
  assert.match(compareToEnglish('de', en.errors, shortSolutions).join('\n'), /USER_EXPIRED\.solutions array length/);
});

test('i18next resolves plural keys in every language', async () => {
  const instance = i18next.createInstance();
  await instance.init({
    lng: 'en',
    fallbackLng: false,
    ns: [...NAMESPACES],
    defaultNS: 'ui',
    resources: resources as unknown as Record<string, Record<string, Record<string, unknown>>>,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  for (const lng of EXPECTED_LANGUAGES) {
    const t = instance.getFixedT(lng);
    const minutes = (resources[lng].ui.retry as Record<string, string>);
    for (const n of [0, 1, 2, 5, 11, 21, 100]) {
      const out = t('ui:retry.inMinutes', { count: n });
      assert.notEqual(out, 'retry.inMinutes', `${lng} ${n}: resolved`);
      assert.ok(!out.includes('{{'), `${lng} ${n}: interpolated`);
      assert.ok(out.includes(String(n)), `${lng} ${n}: "${out}" contains the number`);
      const category = new Intl.PluralRules(lng).select(n);
      assert.equal(out, minutes[`inMinutes_${category}`].replace('{{count}}', String(n)), `${lng} ${n}: the ${category} form`);
    }
    const connections = t('ui:account.connections', { count: 3, max: 4 });
    assert.ok(connections.includes('3') && connections.includes('4') && !connections.includes('{{'), `${lng}: ${connections}`);
    assert.notEqual(t('errors:USER_EXPIRED.title'), 'USER_EXPIRED.title', `${lng}: errors namespace resolves`);
  }
});

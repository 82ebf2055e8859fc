/**
 * locales/<lng>/extension.json — the extension's own strings (store name and description, popup, options):
 * every language has English's keys and interpolation variables, real translations, and store-sized texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { migrate, SCHEMA_VERSION } from '../../extension/shared/storage.js';
import languages from '../../locales/index.json' with { type: 'json' };

type Tree = { [key: string]: string | Tree };
const read = (lng: string) => JSON.parse(readFileSync(new URL(`../../locales/${lng}/extension.json`, import.meta.url), 'utf8')) as Tree;
const flat = (tree: Tree, prefix = ''): Map<string, string> =>
  new Map(Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[prefix + key, value]] : [...flat(value, `${prefix}${key}.`)])));
const variables = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
const english = flat(read('en'));

for (const { code } of languages) {
  test(`extension strings in ${code} mirror English and fit the stores`, () => {
    const strings = flat(read(code));
    assert.deepEqual([...strings.keys()].sort(), [...english.keys()].sort());
    let translated = 0;
    for (const [key, text] of strings) {
      assert.ok(text.trim(), `${key} is empty`);
      assert.deepEqual(variables(text), variables(english.get(key)!), `${key} variables`);
      if (text !== english.get(key)) translated++;
    }
    if (code !== 'en') assert.ok(translated >= strings.size - 2, `${code} is translated`);
    assert.ok(strings.get('description')!.length <= 132, 'store description ≤ 132 characters');
    assert.ok(strings.get('name')!.length <= 45, 'name ≤ 45 characters');
  });
}

test('stored data migrates from schema 1 to the current schema, and only once', async () => {
  const data: Record<string, unknown> = { schema: 1, diagnoses: [{ id: 'a' }], language: 'es', 'flood:h': { v: 1 } };
  const area = {
    get: async (keys?: string | string[] | null) =>
      keys == null ? { ...data } : Object.fromEntries((Array.isArray(keys) ? keys : [keys]).filter((key) => key in data).map((key) => [key, data[key]])),
    set: async (items: Record<string, unknown>) => void Object.assign(data, items),
    remove: async (keys: string | string[]) => {
      for (const key of Array.isArray(keys) ? keys : [keys]) delete data[key];
    },
  };
  assert.equal(await migrate(area), SCHEMA_VERSION);
  assert.deepEqual(data, { schema: SCHEMA_VERSION, recent: [{ id: 'a' }], settings: { language: 'es' }, 'flood:h': { v: 1 } });
  assert.equal(await migrate(area), SCHEMA_VERSION);
});

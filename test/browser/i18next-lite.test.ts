/** The script tag's i18next stand-in gives the same strings as i18next, for every key of every locale. */
import i18next from 'i18next';
import lite from '../../components/i18next-lite.js';
import { SUPPORTED_LANGUAGES } from '../../core/i18n.js';
import { assert, describe, it } from './harness.js';
import { errorsOf } from './locale-files.js';

function keys(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

describe('i18next-lite', () => {
  it('matches i18next for every key, plural count and interpolation in every language', async () => {
    const real = i18next.createInstance();
    await real.init({ lng: 'en', fallbackLng: 'en', ns: ['xtream-ui', 'xtream-errors'], defaultNS: 'xtream-ui', resources: {}, interpolation: { escapeValue: false }, showSupportNotice: false } as never);
    const ours = lite.createInstance();
    await ours.init({ lng: 'en', fallbackLng: 'en', defaultNS: 'xtream-ui' });
    const bundles: Record<string, { errors: unknown; ui: unknown }> = {};
    for (const { code } of SUPPORTED_LANGUAGES) {
      const [errors, ui] = await Promise.all([errorsOf(code), import(`../../locales/${code}/ui.json`)]);
      bundles[code] = { errors, ui: ui.default };
      for (const instance of [real, ours]) {
        instance.addResourceBundle(code, 'xtream-errors', errors, true, true);
        instance.addResourceBundle(code, 'xtream-ui', ui.default, true, true);
      }
    }
    let compared = 0;
    const options = [{}, { count: 0, max: 2, date: 'D', time: 'T', code: 'C', title: 'X', severity: 'S' }, { count: 1, max: 1 }, { count: 2 }, { count: 5 }, { count: 22 }, { count: 111 }];
    for (const { code: lng } of SUPPORTED_LANGUAGES) {
      const t1 = real.getFixedT(lng);
      const t2 = ours.getFixedT(lng);
      const uiKeys = new Set(keys(bundles.en!.ui).map((key) => key.replace(/_(zero|one|two|few|many|other)$/, '')));
      for (const key of uiKeys) {
        for (const option of options) {
          assert.equal(t2(`xtream-ui:${key}`, option), t1(`xtream-ui:${key}`, option), `${lng} ${key} ${JSON.stringify(option)}`);
          compared++;
        }
      }
      for (const code of Object.keys(bundles.en!.errors as object)) {
        for (const field of ['title', 'what', 'who']) {
          assert.equal(t2(`xtream-errors:${code}.${field}`, { defaultValue: '' }), t1(`xtream-errors:${code}.${field}`, { defaultValue: '' }), `${lng} ${code}.${field}`);
        }
        assert.deepEqual(t2(`xtream-errors:${code}.solutions`, { returnObjects: true, defaultValue: [] }), t1(`xtream-errors:${code}.solutions`, { returnObjects: true, defaultValue: [] }), `${lng} ${code}.solutions`);
        compared += 4;
      }
    }
    assert.ok(compared > 5000, `${compared} comparisons`);
    assert.equal(ours.getFixedT('es')('xtream-ui:does.not.exist'), real.getFixedT('es')('xtream-ui:does.not.exist'), 'a missing key');
  });
});

import { ERROR_FILES } from '../../core/catalog.js';

/** Every error text of a language: its four errors-*.json files, merged as the i18n namespace merges them. */
export async function errorsOf(lng: string): Promise<Record<string, { title: string; what: string; who?: string; solutions?: string[] }>> {
  const files = await Promise.all(ERROR_FILES.map((file) => import(`../../locales/${lng}/${file}.json`)));
  return Object.assign({}, ...files.map((module: { default: object }) => module.default));
}

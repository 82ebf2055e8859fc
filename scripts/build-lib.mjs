#!/usr/bin/env node
// The library build: ESM for bundlers, the script-tag IIFE, locale files beside it, .d.ts, custom-elements.json
// and JSX declarations. Called by scripts/build.mjs; safe to run alone (writes only its own outputs in dist/).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = process.cwd();
const dist = join(root, 'dist');
const quiet = { logLevel: 'warn' };

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

for (const own of ['index.js', 'core.js', 'define.js', 'players', 'chunks', 'locales', 'types', 'xtream-error-ux.js']) {
  rmSync(join(dist, own), { recursive: true, force: true });
}
mkdirSync(dist, { recursive: true });

// 2. The script tag: one file, English inside, elements defined, window.XtreamErrorUX. Held to 28 KB gzip:
// i18next is replaced by components/i18next-lite.ts, the flood-guard binding and its English strings are left out
// (the global exposes no guard to bind to), and so are the catalog entries only the guard gives (`origin: 'guard'`)
// and their words, the catalog loses the facts classify doesn't read (English
// reference texts, status texts, usual statuses; the global exposes only its codes), and the css/html template literals are minified.
await build({
  configFile: false,
  ...quiet,
  resolve: {
    alias: [
      { find: /^i18next$/, replacement: join(root, 'components/i18next-lite.ts') },
      { find: /^\.\/guard-binding\.js$/, replacement: join(root, 'components/error-banner/guard-binding.none.ts') },
      { find: /^\.\/guard-notes\.js$/, replacement: join(root, 'components/error-banner/guard-notes.none.ts') },
    ],
  },
  plugins: [scriptTagDiet()],
  publicDir: false,
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  json: { stringify: false, namedExports: false },
  build: {
    target: 'es2021',
    outDir: 'dist',
    emptyOutDir: false,
    minify: true,
    sourcemap: Boolean(process.env.XTREAM_SIZE_MAP),
    copyPublicDir: false,
    lib: { entry: 'components/script-tag.ts', formats: ['iife'], name: 'XtreamErrorUXBundle', fileName: () => 'xtream-error-ux.js' },
  },
});

// 1. ESM for bundlers (vite.config.ts).
if (!process.env.XTREAM_SKIP_ESM) await build({ configFile: join(root, 'vite.config.ts'), ...quiet });

// 3. Locale files the script tag fetches from beside itself.
const languages = JSON.parse(readFileSync('locales/index.json', 'utf8')).map((language) => language.code);
for (const lng of languages) {
  if (!existsSync(join('locales', lng))) throw new Error(`locales/${lng} is missing`);
  mkdirSync(join(dist, 'locales', lng), { recursive: true });
  // The script tag's files (ui + the four errors-*); extension.json is the extension's own.
  for (const file of readdirSync(join('locales', lng)).filter((name) => name !== 'extension.json')) {
    // Re-serialised without whitespace: smaller over the wire, same data.
    writeFileSync(join(dist, 'locales', lng, file), JSON.stringify(JSON.parse(readFileSync(join('locales', lng, file), 'utf8'))));
  }
}
cpSync('locales/index.json', join(dist, 'locales', 'index.json'));

// 4. Declarations: dist/types/{core,components}/…, with the root entry at dist/types/index.d.ts.
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'scripts/tsconfig.lib.json']);
writeFileSync(join(dist, 'types', 'index.d.ts'), "export * from './components/index.js';\n");

// 5. custom-elements.json from the JSDoc, then JSX declarations generated from it.
run(process.execPath, [
  'node_modules/@custom-elements-manifest/analyzer/cem.js',
  'analyze',
  '--litelement',
  '--globs',
  'components/error-banner/error-banner.ts',
  'components/error-stack/error-stack.ts',
  'components/events.ts',
  '--outdir',
  '.',
  '--quiet',
]);
writeJsxDeclarations(JSON.parse(readFileSync('custom-elements.json', 'utf8')));

function writeJsxDeclarations(manifest) {
  const tags = [
    ['xtream-error-banner', 'XtreamErrorBanner', './components/error-banner/error-banner.js'],
    ['xtream-error-stack', 'XtreamErrorStack', './components/error-stack/error-stack.js'],
  ];
  const declarations = manifest.modules.flatMap((module) => module.declarations ?? []);
  const attributesOf = (className) => {
    const declaration = declarations.find((candidate) => candidate.name === className);
    const own = new Set(['lang', 'class', 'id', 'slot', 'hidden', 'style', 'copied']);
    const attributes = (declaration?.attributes ?? []).filter((attribute) => !own.has(attribute.name)).map((attribute) => `'${attribute.name}'?: string | number | boolean;`);
    const events = (declaration?.events ?? []).filter((event) => event.name).map((event) => event.name);
    return { attributes, events };
  };
  const props = (className) => {
    const { attributes, events } = attributesOf(className);
    return [
      ...attributes,
      `lang?: string;`,
      `class?: string;`,
      `className?: string;`,
      `id?: string;`,
      `slot?: string;`,
      `hidden?: boolean;`,
      `children?: unknown;`,
      `ref?: unknown;`,
      `style?: unknown;`,
      ...events.map((name) => `'on${name}'?: (event: Event) => void;`),
    ].join(' ');
  };
  const body = (jsxNamespace) =>
    `  namespace JSX {\n    interface IntrinsicElements {\n${tags
      .map(([tag, className]) => `      '${tag}': { ${props(className)} } & Partial<Pick<${className}, ${jsxNamespace}>>;`)
      .join('\n')}\n    }\n  }`;
  const header = (frameworkModule) =>
    `// Generated by scripts/build-lib.mjs from custom-elements.json: <xtream-error-banner> and <xtream-error-stack> in ${frameworkModule} JSX.\n` +
    tags.map(([, className, path]) => `import type { ${className} } from '${path}';`).join('\n') +
    '\n';
  const writable = "'diagnosis' | 'response' | 'envelope' | 'guard' | 'i18n' | 'clock'";
  const stackWritable = "'clock'";
  const frameworks = {
    react: "declare module 'react' {\n",
    preact: "declare module 'preact' {\n",
    solid: "declare module 'solid-js' {\n",
  };
  mkdirSync(join(dist, 'types', 'jsx'), { recursive: true });
  for (const [name, opening] of Object.entries(frameworks)) {
    const text = `${header(name)}\n${opening}${body(writable).replace(`Pick<XtreamErrorStack, ${writable}>`, `Pick<XtreamErrorStack, ${stackWritable}>`)}\n}\n`;
    writeFileSync(join(dist, 'types', 'jsx', `${name}.d.ts`), text.replaceAll("from './components/", "from '../components/"));
  }
}

/** Build-time trims for the script tag (see step 2). */
function scriptTagDiet() {
  const literal = /(css|html|svg)`((?:[^`\\]|\\.)*)`/g;
  // Private custom properties (`--_name`, never set from outside the shadow root) get short names.
  const privateNames = new Map();
  const shortName = (name) => {
    if (!privateNames.has(name)) privateNames.set(name, `--_${privateNames.size.toString(36)}`);
    return privateNames.get(name);
  };
  const minifyCss = (text) =>
    text
      .replace(/--_[a-z][a-z0-9-]*/g, shortName)
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,>])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}')
      .replace(/([\s:,(/-])0\.(\d)/g, '$1.$2')
      .trim();
  const minifyHtml = (text) => text.replace(/>\s+</g, '><').replace(/\s{2,}/g, ' ');
  /** Catalog entries only the flood guard gives (one entry per line in core/catalog.ts). */
  const guardEntry = /^ {2}(\w+): \{[^\n]*\borigin: 'guard'[^\n]*\},?\n/gm;
  const guardCodes = [...readFileSync(join(root, 'core/catalog.ts'), 'utf8').matchAll(guardEntry)].map((match) => match[1]);
  return {
    name: 'xtream-script-tag-diet',
    enforce: 'pre',
    transform(code, id) {
      if (id.endsWith('/locales/en/ui.json')) {
        // The flood-guard strings: this build has no guard binding, so nothing could show them.
        const { guard, retry, ...rest } = JSON.parse(code);
        return JSON.stringify(rest);
      }
      if (/\/locales\/en\/errors-[a-z]+\.json$/.test(id)) {
        const words = JSON.parse(code);
        for (const key of guardCodes) delete words[key];
        return JSON.stringify(words);
      }
      if (id.endsWith('/core/catalog.ts')) {
        return code
          .replace(guardEntry, '')
          .replace(/,\s*reference:\s*\{[^}]*\}/g, '')
          .replace(/,\s*canonicalMessage:\s*(['"])(?:(?!\1).)*\1/g, '')
          .replace(/,\s*statusText:\s*(['"])(?:(?!\1).)*\1/g, '')
          .replace(/,\s*(?:httpStatus:\s*\[[^\]]*\]|documented:\s*(?:true|false))/g, '');
      }
      if (id.includes('/components/') && id.endsWith('.ts')) {
        return code.replace(literal, (whole, tag, body) => {
          // Leave literals holding expressions in CSS alone; html expressions are untouched by the whitespace collapse.
          if (tag === 'css') return body.includes('${') ? whole : `css\`${minifyCss(body)}\``;
          return `${tag}\`${minifyHtml(body)}\``;
        });
      }
      return null;
    },
  };
}

// Sizes, for the log.
function gz(path) {
  return (gzipSync(readFileSync(path)).length / 1024).toFixed(1);
}
const size = (path) => `${path} ${(statSync(path).size / 1024).toFixed(1)} KB (${gz(path)} KB gzip)`;
console.log(`  ${size('dist/xtream-error-ux.js')}`);
if (!process.env.XTREAM_SKIP_ESM) console.log(`  ${size('dist/index.js')}`);

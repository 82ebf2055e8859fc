/**
 * `npm run bench`: sizes, render cost, interception overhead and latency, ratios side by side in one
 * run. Prints a table and writes bench/results/latest.json (and .md). Never asserts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** Ours ÷ the baseline measured in the same run (time or size: lower is better, unless the name says throughput). */
  ratio?: number;
  target?: string;
}

interface Suite {
  name: string;
  module: string;
  exportName: string;
}

const suites: Suite[] = [
  { name: 'classify', module: './classify.js', exportName: 'benchClassify' },
  { name: 'components', module: './components.js', exportName: 'benchComponents' },
  { name: 'guardedFetch', module: './guarded-fetch.js', exportName: 'benchGuardedFetch' },
  { name: 'players', module: './players.js', exportName: 'benchPlayers' },
  { name: 'extension', module: './extension.js', exportName: 'benchExtension' },
];

const only = process.argv.slice(2);
const results: Array<{ suite: string; rows: BenchRow[]; error?: string }> = [];
for (const suite of suites) {
  if (only.length && !only.includes(suite.name)) continue;
  const file = new URL(suite.module.replace(/\.js$/, '.ts'), import.meta.url);
  if (!existsSync(file)) {
    results.push({ suite: suite.name, rows: [], error: 'not present' });
    continue;
  }
  process.stdout.write(`running ${suite.name}…\n`);
  try {
    const module = (await import(suite.module)) as Record<string, () => Promise<BenchRow[]>>;
    results.push({ suite: suite.name, rows: await module[suite.exportName]!() });
  } catch (error) {
    results.push({ suite: suite.name, rows: [], error: String((error as Error)?.stack ?? error) });
  }
}

// A run of some suites (`npm run bench -- guardedFetch`) keeps the other suites' last rows, with their dates.
const now = new Date().toISOString();
const previous = (() => {
  try {
    return JSON.parse(readFileSync(new URL('./results/latest.json', import.meta.url), 'utf8')) as {
      date?: string;
      results?: Array<{ suite: string; rows: BenchRow[]; error?: string; date?: string }>;
    };
  } catch {
    return {};
  }
})();
const dated: Array<{ suite: string; rows: BenchRow[]; error?: string; date: string }> = results.map((result) => ({ ...result, date: now }));
if (only.length) {
  for (const old of previous.results ?? []) {
    if (!only.includes(old.suite) && !dated.some((result) => result.suite === old.suite)) dated.push({ ...old, date: old.date ?? previous.date ?? '' });
  }
  dated.sort((a, b) => suites.findIndex((suite) => suite.name === a.suite) - suites.findIndex((suite) => suite.name === b.suite));
}

const format = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4));
const lines = ['| suite | measure | value | ratio | target |', '| --- | --- | --- | --- | --- |'];
for (const { suite, rows, error } of dated) {
  if (error) lines.push(`| ${suite} | ${error.split('\n')[0]} | | | |`);
  for (const row of rows) lines.push(`| ${suite} | ${row.name} | ${format(row.value)} ${row.unit} | ${row.ratio === undefined ? '' : `${format(row.ratio)}×`} | ${row.target ?? ''} |`);
}
const table = lines.join('\n');
console.log(`\n${table}\n`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const meta = { date: now, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model };
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify({ ...meta, results: dated }, null, 2) + '\n');
writeFileSync(new URL('./results/latest.md', import.meta.url), `# Bench results\n\n${JSON.stringify(meta)}\n\n${table}\n`);
console.log('written to bench/results/latest.json and bench/results/latest.md');
if (results.some((result) => result.error && result.error !== 'not present')) process.exitCode = 1;

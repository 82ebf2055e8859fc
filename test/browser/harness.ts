/**
 * Test plumbing shared by the browser tests: mocha's globals (typed), a tiny assert, a fake clock, fixtures.
 * wtr runs mocha; its globals exist before a test module loads.
 */
import type { Clock } from '../../components/clock.js';

type Test = (this: unknown) => void | Promise<void>;
interface Mocha {
  describe(name: string, body: () => void): void;
  it(name: string, body: Test): void;
  before(body: Test): void;
  after(body: Test): void;
  beforeEach(body: Test): void;
  afterEach(body: Test): void;
}
const mocha = globalThis as unknown as Mocha;
export const describe = (name: string, body: () => void) => mocha.describe(name, body);
export const it = (name: string, body: Test) => mocha.it(name, body);
export const before = (body: Test) => mocha.before(body);
export const after = (body: Test) => mocha.after(body);
export const beforeEach = (body: Test) => mocha.beforeEach(body);
export const afterEach = (body: Test) => mocha.afterEach(body);

export class AssertionError extends Error {}

function show(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export const assert = {
  ok(value: unknown, message = `expected ${show(value)} to be truthy`): void {
    if (!value) throw new AssertionError(message);
  },
  equal<T>(actual: T, expected: T, message?: string): void {
    if (actual !== expected) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(actual)} to equal ${show(expected)}`);
  },
  notEqual<T>(actual: T, expected: T, message?: string): void {
    if (actual === expected) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(actual)} to differ`);
  },
  deepEqual(actual: unknown, expected: unknown, message?: string): void {
    if (show(actual) !== show(expected)) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(actual)} to deep-equal ${show(expected)}`);
  },
  includes(haystack: string, needle: string, message?: string): void {
    if (!haystack.includes(needle)) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(haystack)} to include ${show(needle)}`);
  },
  notIncludes(haystack: string, needle: string, message?: string): void {
    if (haystack.includes(needle)) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(haystack)} not to include ${show(needle)}`);
  },
  match(text: string, pattern: RegExp, message?: string): void {
    if (!pattern.test(text)) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(text)} to match ${pattern}`);
  },
  noMatch(text: string, pattern: RegExp, message?: string): void {
    if (pattern.test(text)) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(text)} not to match ${pattern}`);
  },
};

/** A clock tests drive: `advance(ms)` runs due timers in order. */
export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start = Date.UTC(2025, 0, 15, 12, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = end;
  }
}

const fixtures: Element[] = [];

/** Adds markup to the document (removed after each test by `cleanup`). */
export function fixture<T extends Element = HTMLElement>(markup: string): T {
  const container = document.createElement('div');
  container.className = 'fixture';
  container.innerHTML = markup;
  document.body.append(container);
  fixtures.push(container);
  return container.firstElementChild as T;
}

export function cleanup(): void {
  for (const element of fixtures.splice(0)) element.remove();
}

/** Polls `condition` every 10 ms (no fixed sleeps; rAF stalls in background pages); fails after `timeout` ms with `message`. */
export async function waitFor<T>(condition: () => T | undefined | null | false, message: string, timeout = 5000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = condition();
    if (value) return value;
    if (performance.now() - start > timeout) throw new AssertionError(`timed out waiting: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A macrotask later (rAF would stall in a background page). */
export const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The visible text of an element's shadow root (what a person reads), whitespace collapsed. */
export function shadowText(element: Element): string {
  const root = element.shadowRoot;
  if (!root) return '';
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
    if (node.nodeType === Node.ELEMENT_NODE) {
      const element = node as HTMLElement;
      if (element.hidden) return;
      if (element.localName === 'style' || element.localName === 'script') return;
      const label = element.getAttribute('aria-label');
      if (label) parts.push(` ${label} `);
    }
    node.childNodes.forEach(walk);
  };
  root.childNodes.forEach(walk);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

export function part(element: Element, name: string): HTMLElement | null {
  return element.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

export function parts(element: Element, name: string): HTMLElement[] {
  return [...(element.shadowRoot?.querySelectorAll<HTMLElement>(`[part~="${name}"]`) ?? [])];
}

/** Loads a classic script once (axe-core ships as UMD). */
export function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (document.querySelector(`script[src="${src}"]`)) return resolve();
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

/** Dispatches a real keydown on the focused element's deepest active element. */
export function pressKey(key: string): KeyboardEvent {
  let target: Element | null = document.activeElement;
  while (target?.shadowRoot?.activeElement) target = target.shadowRoot.activeElement;
  const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true });
  (target ?? document.body).dispatchEvent(event);
  return event;
}

/** The messages in the shared live region, by politeness. */
export function liveMessages(politeness: 'polite' | 'assertive'): string[] {
  const channel = document.querySelector(`[data-xtream-live-region] [data-politeness="${politeness}"]`);
  return [...(channel?.children ?? [])].map((child) => child.textContent ?? '');
}

/** Every message added to the live region from now on (the region keeps only the last few). */
export function recordAnnouncements(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const observer = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE && (node as Element).localName === 'p') messages.push(node.textContent ?? '');
  });
  observer.observe(document.body, { childList: true, subtree: true });
  return { messages, stop: () => observer.disconnect() };
}

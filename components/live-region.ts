/**
 * One shared, persistent live region in the light DOM owns every announcement (Web Awesome's fix for toasts
 * not announced in Firefox + NVDA, Umbraco's for Chrome): banners never announce themselves.
 * Two children: polite (warnings, info, success) and assertive (errors). Messages are appended, so a
 * repeated message is announced again, and removed after a while so the region stays small.
 */
const REGION_ATTRIBUTE = 'data-xtream-live-region';
const KEEP_MS = 10_000;
const MAX_MESSAGES = 5;

export type Politeness = 'polite' | 'assertive';

function hideVisually(element: HTMLElement): void {
  // CSSOM properties, not a style attribute: allowed under `style-src 'self'`.
  Object.assign(element.style, {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: '0',
    border: '0',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  });
}

/** The region, created on first use and re-created if the page replaced its body. */
export function liveRegion(): HTMLElement | undefined {
  if (typeof document === 'undefined' || !document.body) return undefined;
  let region = document.querySelector<HTMLElement>(`[${REGION_ATTRIBUTE}]`);
  if (region && region.isConnected) return region;
  region = document.createElement('div');
  region.setAttribute(REGION_ATTRIBUTE, '');
  hideVisually(region);
  for (const politeness of ['polite', 'assertive'] as const) {
    const channel = document.createElement('div');
    channel.setAttribute('aria-live', politeness);
    channel.setAttribute('aria-relevant', 'additions text');
    channel.dataset.politeness = politeness;
    region.append(channel);
  }
  document.body.append(region);
  return region;
}

/**
 * Speaks `message` once. Resolves when the message is in the region (a region created just now gets
 * a moment first, as screen readers ignore changes to a region they have not seen yet).
 */
export async function announce(message: string, politeness: Politeness = 'polite', lang?: string): Promise<void> {
  try {
    if (!message.trim()) return;
    const existed = typeof document !== 'undefined' && document.querySelector(`[${REGION_ATTRIBUTE}]`)?.isConnected;
    const region = liveRegion();
    if (!region) return;
    if (!existed) await new Promise((resolve) => setTimeout(resolve, 50));
    const channel = region.querySelector<HTMLElement>(`[data-politeness="${politeness}"]`);
    if (!channel) return;
    const line = document.createElement('p');
    if (lang) line.lang = lang;
    line.textContent = message;
    channel.append(line);
    while (channel.childElementCount > MAX_MESSAGES) channel.firstElementChild?.remove();
    setTimeout(() => line.remove(), KEEP_MS);
  } catch {
    /* announcing is best effort; it never breaks the page */
  }
}

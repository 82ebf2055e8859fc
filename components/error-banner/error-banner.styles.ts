import { css } from 'lit';

/**
 * The banner's styles. Self-contained on `.banner` (not `:host`), so `renderBanner` can render into any
 * shadow root — the extension's isolated world, where custom elements can't be defined, uses them too.
 */
export const bannerStyles = css`
  :host {
    display: block;
    /* Off-screen banners skip style, layout and paint until scrolled near (a long log, the gallery); they stay
       in the accessibility tree and in find-in-page. The clip margin keeps the shadow under paint containment. */
    content-visibility: auto;
    contain-intrinsic-size: auto 10em;
    overflow-clip-margin: 0.5em;
  }
  :host([hidden]) {
    display: none !important;
  }

  .banner {
    /* Theme colours; the public --xeb-* properties override them where they are used. */
    --_fg: #1f2328;
    --_muted: #57606a;
    --_border: #d0d7de;
    --_focus: #0969da;
    --_button-bg: #f6f8fa;
    --_error: #cf222e;
    --_warning: #9a6700;
    --_info: #0969da;
    --_success: #1a7f37;
    --_on-accent: #fff;
    --_tint-error: #fff5f5;
    --_tint-warning: #fff9eb;
    --_tint-info: #f3f8ff;
    --_tint-success: #f2fbf4;
    --_accent: var(--xeb-error-color, var(--_error));
    --_tint: var(--_tint-error);

    box-sizing: border-box;
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    align-items: start;
    gap: var(--xeb-gap, 0.75em);
    max-inline-size: var(--xeb-max-width, 48rem);
    padding-block: var(--xeb-padding-block, 0.875em);
    padding-inline: var(--xeb-padding-inline, 1em);
    color: var(--xeb-color, var(--_fg));
    background: var(--xeb-background, var(--_tint));
    border: 1px solid var(--xeb-border-color, var(--_border));
    border-inline-start: var(--xeb-accent-width, 0.3em) solid var(--_accent);
    border-radius: var(--xeb-radius, 0.5em);
    box-shadow: var(--xeb-shadow, 0 1px 3px rgb(0 0 0 / 0.08));
    font: inherit;
    line-height: var(--xeb-line-height, 1.45);
    text-align: start;
  }
  .banner.theme-dark {
    --_fg: #e6edf3;
    --_muted: #9da7b3;
    --_border: #3d444d;
    --_focus: #58a6ff;
    --_button-bg: #21262d;
    --_error: #ff7b72;
    --_warning: #e3b341;
    --_info: #58a6ff;
    --_success: #3fb950;
    --_on-accent: #0d1117;
    --_tint-error: #2b1618;
    --_tint-warning: #2a2213;
    --_tint-info: #121d2f;
    --_tint-success: #132319;
  }
  @media (prefers-color-scheme: dark) {
    .banner:not(.theme-light) {
      --_fg: #e6edf3;
      --_muted: #9da7b3;
      --_border: #3d444d;
      --_focus: #58a6ff;
      --_button-bg: #21262d;
      --_error: #ff7b72;
      --_warning: #e3b341;
      --_info: #58a6ff;
      --_success: #3fb950;
      --_on-accent: #0d1117;
      --_tint-error: #2b1618;
      --_tint-warning: #2a2213;
      --_tint-info: #121d2f;
      --_tint-success: #132319;
    }
  }
  .banner.severity-warning {
    --_accent: var(--xeb-warning-color, var(--_warning));
    --_tint: var(--_tint-warning);
  }
  .banner.severity-info {
    --_accent: var(--xeb-info-color, var(--_info));
    --_tint: var(--_tint-info);
  }
  .banner.severity-success {
    --_accent: var(--xeb-success-color, var(--_success));
    --_tint: var(--_tint-success);
  }

  .icon {
    display: flex;
    color: var(--_accent);
    inline-size: var(--xeb-icon-size, 1.5em);
    block-size: var(--xeb-icon-size, 1.5em);
  }
  .icon svg {
    inline-size: 100%;
    block-size: 100%;
  }
  .body {
    min-inline-size: 0;
  }
  p,
  ol,
  ul {
    margin: 0;
  }
  .title {
    margin: 0;
    font-size: var(--xeb-title-size, 1.05em);
    font-weight: var(--xeb-title-weight, 600);
    overflow-wrap: anywhere;
  }
  .count {
    display: inline-block;
    margin-inline-start: 0.5em;
    padding-inline: 0.45em;
    border-radius: 1em;
    font-size: 0.8em;
    font-weight: 600;
    color: var(--xeb-on-accent-color, var(--_on-accent));
    background: var(--_accent);
    vertical-align: 0.1em;
  }
  .details > * + * {
    margin-block-start: 0.6em;
  }
  .details {
    margin-block-start: 0.35em;
  }
  .label {
    display: block;
    font-size: 0.8em;
    font-weight: 600;
    letter-spacing: 0.02em;
    text-transform: uppercase;
    color: var(--xeb-muted-color, var(--_muted));
  }
  .what,
  .who,
  .server,
  .solutions,
  .account {
    overflow-wrap: anywhere;
  }
  .solutions ol {
    padding-inline-start: 1.4em;
  }
  .solutions li + li {
    margin-block-start: 0.2em;
  }
  .account ul {
    padding: 0;
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 1em;
  }
  .server-message + .label {
    margin-block-start: 0.4em;
  }
  .server-message,
  .server-details,
  .seen {
    white-space: pre-wrap;
    font-family: var(--xeb-code-font, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    font-size: 0.9em;
  }
  .code {
    color: var(--xeb-muted-color, var(--_muted));
    font-size: 0.875em;
  }
  .code code {
    font-family: var(--xeb-code-font, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    color: var(--xeb-color, var(--_fg));
    overflow-wrap: anywhere;
  }
  .unknown {
    font-style: italic;
  }
  .guard {
    font-weight: 500;
  }
  .countdown {
    font-variant-numeric: tabular-nums;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    margin-block-start: 0.75em;
  }

  button {
    box-sizing: border-box;
    min-block-size: 2.25em;
    min-inline-size: 2.25em;
    padding-block: 0.3em;
    padding-inline: 0.85em;
    font: inherit;
    font-size: 0.9em;
    font-weight: 500;
    color: var(--xeb-button-color, var(--xeb-color, var(--_fg)));
    background: var(--xeb-button-background, var(--_button-bg));
    border: 1px solid var(--xeb-border-color, var(--_border));
    border-radius: var(--xeb-button-radius, 0.4em);
    cursor: pointer;
    transition: background-color 120ms, border-color 120ms;
  }
  button:hover {
    border-color: var(--xeb-muted-color, var(--_muted));
  }
  button:focus-visible {
    outline: 2px solid var(--xeb-focus-color, var(--_focus));
    outline-offset: 2px;
  }
  button.primary {
    color: var(--xeb-on-accent-color, var(--_on-accent));
    background: var(--_accent);
    border-color: var(--_accent);
  }
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .dismiss {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    padding: 0;
    margin-block: -0.25em;
    margin-inline-end: -0.4em;
    color: var(--xeb-muted-color, var(--_muted));
    background: transparent;
    border-color: transparent;
  }
  .dismiss svg {
    inline-size: 1.1em;
    block-size: 1.1em;
  }

  /* compact: one line that expands */
  .banner.compact {
    align-items: center;
    padding-block: var(--xeb-compact-padding-block, 0.4em);
  }
  .banner.compact .headline {
    display: flex;
    align-items: center;
    gap: 0.5em;
    min-inline-size: 0;
  }
  .banner.compact .title {
    flex: 1 1 auto;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
    font-size: 1em;
    min-inline-size: 6em;
  }
  .banner.compact .headline .code {
    flex: 0 3 auto;
    min-inline-size: 3em;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .banner.compact.expanded {
    align-items: start;
  }
  .banner.compact.expanded .title {
    white-space: normal;
  }
  .toggle {
    flex: none;
  }
  .visually-hidden {
    position: absolute !important;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    border: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  [hidden] {
    display: none !important;
  }

  @media (prefers-reduced-motion: reduce) {
    button {
      transition: none;
    }
  }
  @media (forced-colors: active) {
    .banner {
      border: 1px solid CanvasText;
      border-inline-start: 0.3em solid CanvasText;
      background: Canvas;
      color: CanvasText;
      box-shadow: none;
    }
    .icon,
    .label,
    .code,
    .dismiss {
      color: CanvasText;
    }
    .count {
      color: Canvas;
      background: CanvasText;
      forced-color-adjust: none;
    }
    button {
      border: 1px solid ButtonText;
      color: ButtonText;
      background: ButtonFace;
    }
    button[aria-disabled='true'] {
      color: GrayText;
      border-color: GrayText;
      opacity: 1;
    }
    button:focus-visible {
      outline-color: Highlight;
    }
  }
`;

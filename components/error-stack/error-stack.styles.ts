import { css } from 'lit';

export const stackStyles = css`
  :host {
    position: fixed;
    z-index: var(--xes-z-index, 2147483000);
    display: block;
    box-sizing: border-box;
    inline-size: min(var(--xes-width, 30rem), 100vw);
    max-block-size: 100vh;
    padding: var(--xes-inset, 1rem);
    overflow: auto;
    pointer-events: none;
  }
  :host([position^='top']) {
    inset-block-start: 0;
  }
  :host(:not([position])),
  :host([position^='bottom']) {
    inset-block-end: 0;
  }
  :host([position$='-start']) {
    inset-inline-start: 0;
  }
  :host(:not([position])),
  :host([position$='-end']) {
    inset-inline-end: 0;
  }
  :host([position$='-center']) {
    inset-inline: 0;
    margin-inline: auto;
  }
  .stack {
    display: flex;
    flex-direction: column;
    gap: var(--xes-gap, 0.75rem);
  }
  ::slotted(*) {
    pointer-events: auto;
    animation: xes-enter 160ms ease-out;
  }
  @keyframes xes-enter {
    from {
      opacity: 0;
      transform: translateY(-0.25em);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    ::slotted(*) {
      animation: none;
    }
  }
  .close-newest {
    pointer-events: auto;
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    font: inherit;
  }
  .close-newest:focus-visible {
    position: static;
    inline-size: auto;
    block-size: auto;
    clip-path: none;
    align-self: end;
    padding: 0.3em 0.8em;
    border-radius: 0.4em;
    outline: 2px solid var(--xes-focus-color, #0969da);
    outline-offset: 2px;
  }
`;

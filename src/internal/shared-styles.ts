import { css } from 'lit';

/** Tokens every part reads; hosts theme the desk by setting the `--cc-*` globals. */
export const baseStyles = css`
  :host {
    font-family: var(--cc-font-family, system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif);
    font-size: var(--cc-font-size, 14px);
    color: var(--cc-color-text, #1d2433);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: var(--cc-radius, 6px);
    border: 1px solid var(--cc-color-border, #c9cfdb);
    background: var(--cc-color-surface, #fff);
    color: inherit;
    padding: 4px 10px;
  }
  button:focus-visible,
  [tabindex]:focus-visible,
  textarea:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
    outline-offset: 1px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

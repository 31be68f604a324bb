import { css } from 'lit';

export const softphoneStyles = css`
  :host {
    display: block;
    background: var(--cc-softphone-background, var(--cc-color-surface, #fff));
  }
  [part='base'] {
    display: grid;
    gap: 8px;
    padding: 8px 12px;
  }
  h3 {
    font-size: 0.95em;
    margin: 0;
  }
  .status {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 6px;
  }
  .registration {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-weight: 600;
  }
  .mark,
  .rating-mark {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    flex: none;
    background: var(--cc-color-text-muted, #5b6478);
  }
  .registration[data-state='registered'] .mark {
    background: var(--cc-color-success, #2e7d32);
  }
  .registration[data-state='registering'] .mark,
  .registration[data-state='reconnecting'] .mark {
    background: var(--cc-color-warning, #a35a00);
  }
  .registration[data-state='failed'] .mark {
    background: var(--cc-color-danger, #b71c1c);
  }
  .banner,
  .notice,
  .alert {
    margin: 0;
    padding: 6px 10px;
    border-radius: var(--cc-radius, 6px);
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
  }
  .banner.reconnecting,
  .notice.fallback {
    background: var(--cc-color-warning-background, #fff4e0);
    color: var(--cc-color-warning-text, #7a4d00);
  }
  .banner.failed,
  .notice.error,
  .alert {
    background: var(--cc-color-danger-background, #fdecea);
    color: var(--cc-color-danger-text, #8e1b1b);
  }
  .alert {
    font-weight: 600;
  }
  .devices {
    display: grid;
    gap: 6px;
    margin: 0;
    border: 1px solid var(--cc-color-border, #dfe3ea);
    border-radius: var(--cc-radius, 6px);
  }
  .device {
    display: grid;
    gap: 2px;
  }
  select,
  input,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--cc-color-surface, #fff);
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
    padding: 4px 6px;
    min-width: 0;
  }
  select:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
    outline-offset: 1px;
  }
  [aria-invalid='true'] {
    border-color: var(--cc-color-danger, #b71c1c);
  }
  .ringing {
    display: grid;
    gap: 6px;
    padding: 8px 10px;
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-softphone-ringing-background, #e8f5e9);
    color: #14361a;
  }
  .caller {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px 8px;
  }
  .caller-name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .vip {
    padding: 0 6px;
    border-radius: 8px;
    background: var(--cc-color-vip, #fff1c2);
    color: var(--cc-color-vip-text, #6b4e00);
    font-size: 0.85em;
    font-weight: 600;
  }
  .number,
  .muted {
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.9em;
  }
  .ringing .muted,
  .ringing .number {
    color: #2d4a32;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .answer {
    background: var(--cc-softphone-answer-background, #1e7d32);
    border-color: var(--cc-softphone-answer-background, #1e7d32);
    color: #fff;
  }
  .decline,
  .hangup {
    background: var(--cc-softphone-hangup-background, #b3261e);
    border-color: var(--cc-softphone-hangup-background, #b3261e);
    color: #fff;
  }
  button[aria-pressed='true'],
  button[aria-expanded='true'] {
    background: var(--cc-color-selected, #e7efff);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  .calls {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 6px;
  }
  .call {
    display: grid;
    gap: 6px;
    padding: 8px 10px;
    border: 1px solid var(--cc-color-border, #dfe3ea);
    border-radius: var(--cc-radius, 6px);
  }
  .call[data-state='held'] {
    background: var(--cc-color-surface-alt, #f7f8fb);
  }
  .call-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px 10px;
  }
  .timer {
    margin-left: auto;
    font-variant-numeric: tabular-nums;
  }
  .keys {
    display: grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    gap: 4px;
    max-width: 260px;
  }
  .key {
    display: grid;
    justify-items: center;
    padding: 6px 0;
    font-size: 1.1em;
  }
  .letters {
    font-size: 0.6em;
    color: var(--cc-color-text-muted, #5b6478);
    min-height: 1em;
  }
  .quality {
    display: grid;
    gap: 4px;
    font-size: 0.9em;
  }
  .rating {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .quality[data-rating='good'] .rating-mark {
    background: var(--cc-color-success, #2e7d32);
  }
  .quality[data-rating='fair'] .rating-mark {
    background: var(--cc-color-warning, #a35a00);
  }
  .quality[data-rating='poor'] .rating-mark {
    background: var(--cc-color-danger, #b71c1c);
  }
  .quality dl {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(90px, 1fr));
    gap: 4px 10px;
    margin: 0;
  }
  .quality dt {
    color: var(--cc-color-text-muted, #5b6478);
  }
  .quality dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
  }
  .dial-pad,
  .transfer,
  .wrap-up {
    display: grid;
    gap: 4px;
  }
  .dial-row {
    display: flex;
    gap: 6px;
  }
  .dial-row input {
    flex: 1;
  }
  .dial-tools {
    display: flex;
    gap: 6px;
  }
  .problem {
    color: var(--cc-color-danger-text, #8e1b1b);
    font-size: 0.9em;
  }
  .problem:empty,
  .saved:empty {
    display: none;
  }
  .error-detail {
    display: block;
    font-size: 0.85em;
    overflow-wrap: anywhere;
  }
  .wrap-up {
    padding: 8px 10px;
    border: 1px solid var(--cc-color-accent, #1a5fd0);
    border-radius: var(--cc-radius, 6px);
  }
  .saved {
    margin: 0;
    color: var(--cc-color-success, #2e7d32);
  }
`;

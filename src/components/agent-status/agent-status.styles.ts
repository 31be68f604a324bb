import { css } from 'lit';

export const agentStatusStyles = css`
  :host {
    display: block;
    background: var(--cc-agent-status-background, var(--cc-color-surface, #fff));
  }
  [part='base'] {
    display: grid;
    gap: 10px;
    padding: 8px 12px;
  }
  h3 {
    font-size: 0.9em;
    margin: 0 0 4px;
  }
  .banner {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    padding: 4px 8px;
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-color-surface-alt, #f3f5f9);
  }
  .mark,
  .presence-mark {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    flex: none;
    background: var(--cc-color-text-muted, #5b6478);
  }
  .banner.online .mark {
    background: var(--cc-agent-status-online-color, #1e7d32);
  }
  .banner.reconnecting .mark {
    background: var(--cc-agent-status-reconnecting-color, #b26a00);
  }
  .banner.offline {
    background: var(--cc-color-danger-surface, #fdecea);
    color: var(--cc-color-danger-text, #8c1d18);
  }
  .banner.offline .mark {
    background: var(--cc-agent-status-offline-color, #b3261e);
  }
  .banner-state {
    font-weight: 600;
  }
  .queued {
    font-weight: 600;
  }
  .queued::before {
    content: '· ';
  }
  .presence {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
  }
  .presence label {
    font-weight: 600;
  }
  .presence-mark.available {
    background: var(--cc-agent-status-online-color, #1e7d32);
  }
  .presence-mark.busy {
    background: var(--cc-agent-status-offline-color, #b3261e);
  }
  .presence-mark.break,
  .presence-mark.after-call-work {
    background: var(--cc-agent-status-reconnecting-color, #b26a00);
  }
  select,
  input {
    font: inherit;
    color: inherit;
    background: var(--cc-color-surface, #fff);
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
    padding: 2px 6px;
  }
  select:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
    outline-offset: 1px;
  }
  .pending,
  .saving,
  .empty {
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
  }
  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    width: 100%;
    color: var(--cc-color-danger-text, #8c1d18);
    font-size: 0.85em;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 6px;
  }
  .capacity-entry {
    display: grid;
    grid-template-columns: minmax(5em, 1fr) auto 4.5em;
    grid-template-areas: 'name load input' 'bar bar bar' 'message message message';
    align-items: center;
    column-gap: 8px;
    row-gap: 2px;
  }
  .channel-name {
    grid-area: name;
  }
  .load {
    grid-area: load;
    font-size: 0.85em;
    color: var(--cc-color-text-muted, #5b6478);
    font-variant-numeric: tabular-nums;
  }
  .capacity-entry input {
    grid-area: input;
    width: 100%;
  }
  .bar {
    grid-area: bar;
    height: 4px;
    border-radius: 2px;
    background: var(--cc-color-border-subtle, #eef1f6);
    overflow: hidden;
  }
  .fill {
    display: block;
    height: 100%;
    background: var(--cc-agent-status-load-color, var(--cc-color-accent, #1a5fd0));
  }
  .capacity-entry.full .fill {
    background: var(--cc-agent-status-reconnecting-color, #b26a00);
  }
  .capacity-entry .saving,
  .capacity-entry .error {
    grid-area: message;
  }
  dl {
    margin: 0;
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(7em, 1fr));
    gap: 6px;
  }
  .metric {
    padding: 4px 6px;
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-color-surface-alt, #f3f5f9);
  }
  dt {
    font-size: 0.8em;
    color: var(--cc-color-text-muted, #5b6478);
  }
  dd {
    margin: 0;
    font-size: 1.2em;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  /* Compact: one line in a header; the rest opens below it. */
  [part='base'].compact {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 0;
  }
  :host([compact]) {
    background: transparent;
  }
  details {
    position: relative;
  }
  summary {
    cursor: pointer;
    font-size: 0.9em;
  }
  .details-body {
    position: absolute;
    right: 0;
    z-index: 10;
    display: grid;
    gap: 10px;
    min-width: 280px;
    padding: 10px 12px;
    border: 1px solid var(--cc-color-border, #dfe3ea);
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-agent-status-background, var(--cc-color-surface, #fff));
    box-shadow: 0 6px 18px rgb(0 0 0 / 15%);
  }
`;

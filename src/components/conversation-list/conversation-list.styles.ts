import { css } from 'lit';

export const conversationListStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
    background: var(--cc-conversation-list-background, var(--cc-color-surface, #fff));
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    min-height: 0;
    flex: 1;
  }
  .header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 8px;
    padding: 10px 12px;
    border-bottom: 1px solid var(--cc-color-border, #e2e6ee);
  }
  h2 {
    font-size: 1em;
    margin: 0;
  }
  .count,
  .hint {
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
  }

  /* Work offers */
  .offers {
    border-bottom: 1px solid var(--cc-color-border, #e2e6ee);
    padding: 6px 12px 8px;
  }
  .offers[hidden] {
    display: none;
  }
  .offers-header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 4px 8px;
  }
  h3 {
    font-size: 0.9em;
    margin: 0;
  }
  .offer-list {
    list-style: none;
    margin: 6px 0 0;
    padding: 0;
    display: grid;
    gap: 6px;
  }
  .offer {
    display: grid;
    grid-template-columns: 28px 1fr auto;
    align-items: center;
    column-gap: 8px;
    row-gap: 4px;
    padding: 6px 8px;
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-conversation-list-offer-background, #eef5ff);
    border: 1px solid var(--cc-color-accent, #1a5fd0);
  }
  .offer-text {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .offer-from {
    font-weight: 600;
  }
  .offer-timer {
    font-variant-numeric: tabular-nums;
    font-size: 0.85em;
    white-space: nowrap;
  }
  .offer-timer.expiring {
    font-weight: 700;
    color: var(--cc-conversation-list-sla-warning-color, #8a4b00);
  }
  .offer-actions {
    grid-column: 2 / -1;
    display: flex;
    gap: 6px;
    justify-content: flex-end;
  }
  .offer .accept {
    background: var(--cc-color-accent, #1a5fd0);
    border-color: var(--cc-color-accent, #1a5fd0);
    color: var(--cc-color-on-accent, #fff);
  }
  button[aria-disabled='true'] {
    opacity: 0.7;
    cursor: progress;
  }
  .offer-error {
    margin-top: 6px;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    padding: 6px 8px;
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-color-danger-surface, #fdecea);
    color: var(--cc-color-danger-text, #8c1d18);
  }

  /* Filters */
  .filters {
    display: grid;
    gap: 6px;
    padding: 8px 12px;
    border-bottom: 1px solid var(--cc-color-border, #e2e6ee);
  }
  input[type='search'],
  select {
    font: inherit;
    color: inherit;
    background: var(--cc-color-surface, #fff);
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
    padding: 4px 8px;
  }
  input[type='search'] {
    width: 100%;
  }
  select:focus-visible,
  summary:focus-visible,
  .segment input:focus-visible + span,
  .channel-option input:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
    outline-offset: 1px;
  }
  .filter-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  .scope {
    display: inline-flex;
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
    overflow: hidden;
  }
  .segment {
    position: relative;
    display: inline-flex;
  }
  .segment input {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    cursor: pointer;
  }
  .segment span {
    padding: 4px 10px;
  }
  .segment input:checked + span {
    background: var(--cc-color-accent, #1a5fd0);
    color: var(--cc-color-on-accent, #fff);
  }
  .channels {
    position: relative;
  }
  .channels summary {
    cursor: pointer;
    padding: 4px 8px;
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
  }
  .channels fieldset {
    display: grid;
    gap: 4px;
    padding: 6px 0 0;
  }
  .channel-option {
    display: flex;
    align-items: center;
    gap: 6px;
  }

  /* The list */
  lit-virtualizer {
    flex: 1;
    min-height: 0;
  }
  lit-virtualizer:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
    outline-offset: -2px;
  }
  .row {
    display: grid;
    grid-template-columns: 28px 1fr auto;
    grid-template-rows: auto auto;
    column-gap: 8px;
    row-gap: 2px;
    width: 100%;
    padding: 8px 12px;
    border-bottom: 1px solid var(--cc-color-border-subtle, #eef1f6);
    cursor: pointer;
  }
  .row[aria-selected='true'] {
    background: var(--cc-conversation-list-selected-background, var(--cc-color-selected, #e7efff));
  }
  .row.active {
    box-shadow: inset 3px 0 0 var(--cc-color-focus, #1a5fd0);
  }
  .channel {
    grid-row: 1 / span 2;
    align-self: center;
    width: 28px;
    height: 28px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    background: var(--cc-color-badge, #eef1f6);
    font-size: 13px;
  }
  .offer .channel {
    grid-row: auto;
  }
  .name {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .time {
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
    white-space: nowrap;
  }
  .preview {
    color: var(--cc-color-text-muted, #5b6478);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .badges {
    display: flex;
    gap: 4px;
    justify-content: flex-end;
  }
  .meta {
    grid-column: 2 / -1;
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    align-items: center;
  }
  .unread {
    min-width: 20px;
    border-radius: 10px;
    padding: 0 6px;
    text-align: center;
    background: var(--cc-color-accent, #1a5fd0);
    color: var(--cc-color-on-accent, #fff);
    font-size: 0.8em;
  }
  .vip,
  .priority,
  .sla {
    border-radius: 4px;
    padding: 0 4px;
    font-size: 0.75em;
    white-space: nowrap;
  }
  .vip {
    background: var(--cc-color-vip, #fff1c2);
    color: var(--cc-color-vip-text, #6b4e00);
  }
  .priority {
    border: 1px solid var(--cc-color-danger, #c62828);
    color: var(--cc-color-danger-text, #8c1d18);
  }
  .priority-urgent .channel,
  .priority-high .channel {
    box-shadow: 0 0 0 2px var(--cc-color-danger, #c62828);
  }
  .sla {
    font-variant-numeric: tabular-nums;
    background: var(--cc-color-badge, #eef1f6);
    color: var(--cc-color-text, #1d2433);
  }
  .sla-warning {
    font-weight: 700;
    background: var(--cc-conversation-list-sla-warning-background, #fff1d6);
    color: var(--cc-conversation-list-sla-warning-color, #8a4b00);
  }
  .sla-breach {
    font-weight: 700;
    background: var(--cc-conversation-list-sla-breach-background, #b3261e);
    color: var(--cc-conversation-list-sla-breach-color, #fff);
  }
  .status,
  .empty {
    padding: 12px;
    color: var(--cc-color-text-muted, #5b6478);
  }
  .empty button {
    margin-left: 6px;
  }
`;

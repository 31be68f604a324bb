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
  h2 {
    font-size: 1em;
    margin: 0;
    padding: 10px 12px;
    border-bottom: 1px solid var(--cc-color-border, #e2e6ee);
  }
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
  .unread {
    min-width: 20px;
    border-radius: 10px;
    padding: 0 6px;
    text-align: center;
    background: var(--cc-color-accent, #1a5fd0);
    color: var(--cc-color-on-accent, #fff);
    font-size: 0.8em;
  }
  .vip {
    border-radius: 4px;
    padding: 0 4px;
    font-size: 0.75em;
    background: var(--cc-color-vip, #fff1c2);
    color: var(--cc-color-vip-text, #6b4e00);
  }
  .priority-urgent .channel,
  .priority-high .channel {
    box-shadow: 0 0 0 2px var(--cc-color-danger, #c62828);
  }
  .status,
  .empty {
    padding: 12px;
    color: var(--cc-color-text-muted, #5b6478);
  }
`;

import { css } from 'lit';

export const customerPanelStyles = css`
  :host {
    display: block;
    min-height: 0;
    height: 100%;
    overflow: auto;
    background: var(--cc-customer-panel-background, var(--cc-color-surface, #fff));
  }
  /* Beats a host's own display rule: a panel the backend cannot fill stays out of the layout. */
  :host([hidden]) {
    display: none !important;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding: 12px;
  }
  header {
    display: flex;
    align-items: center;
    gap: 12px;
    padding-bottom: 8px;
  }
  .avatar {
    flex: none;
    width: 48px;
    height: 48px;
    border-radius: 50%;
    overflow: hidden;
    display: grid;
    place-items: center;
    background: var(--cc-customer-panel-avatar-background, #dbe6ff);
    color: var(--cc-customer-panel-avatar-color, #1a3f8f);
    font-weight: 600;
  }
  .avatar img {
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .who {
    min-width: 0;
  }
  h2 {
    font-size: 1.15em;
    margin: 0;
    overflow-wrap: anywhere;
  }
  h2:focus {
    outline: none;
  }
  h2:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
  }
  h3 {
    font-size: 0.95em;
    margin: 0 0 6px;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
  }
  .vip {
    border-radius: 4px;
    padding: 0 6px;
    background: var(--cc-customer-panel-vip-background, var(--cc-color-vip, #fff1c2));
    color: var(--cc-color-vip-text, #6b4e00);
    font-weight: 600;
  }
  .block {
    border-top: 1px solid var(--cc-color-border-subtle, #eef1f6);
    padding: 10px 0 6px;
  }
  .muted {
    color: var(--cc-color-text-muted, #5b6478);
    margin: 0;
  }
  .empty {
    padding: 12px 0;
  }
  .identities {
    display: grid;
    gap: 4px;
    margin: 0;
  }
  .identity {
    display: grid;
    grid-template-columns: minmax(90px, auto) 1fr;
    gap: 8px;
  }
  .identity dt {
    color: var(--cc-color-text-muted, #5b6478);
  }
  .identity dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  ul,
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .tags {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-bottom: 6px;
  }
  .tag {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    border-radius: 12px;
    padding: 0 2px 0 10px;
    background: var(--cc-customer-panel-tag-background, var(--cc-color-badge, #eef1f6));
    max-width: 100%;
  }
  .tag-text {
    overflow-wrap: anywhere;
  }
  .remove-tag {
    border: none;
    background: transparent;
    padding: 0 6px;
    min-width: 24px;
    min-height: 24px;
    border-radius: 12px;
  }
  .tag-editor {
    display: flex;
    gap: 6px;
  }
  input,
  textarea,
  select {
    font: inherit;
    color: inherit;
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-color-surface, #fff);
    padding: 4px 8px;
  }
  .tag-editor input {
    flex: 1;
    min-width: 0;
  }
  textarea {
    width: 100%;
    resize: vertical;
  }
  .notes-actions {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 8px;
    margin-top: 4px;
  }
  .save-status {
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
    min-height: 1em;
  }
  .problem,
  .problem-text {
    color: var(--cc-color-danger, #c62828);
    font-size: 0.9em;
  }
  .problem-text:empty {
    display: none;
  }
  .section-head {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: baseline;
    gap: 6px;
  }
  .filter {
    display: inline-flex;
    gap: 6px;
    align-items: center;
    font-size: 0.85em;
  }
  .timeline {
    display: grid;
    gap: 4px;
    margin-top: 6px;
  }
  .entry {
    display: grid;
    grid-template-columns: 24px 1fr;
    column-gap: 8px;
    width: 100%;
    text-align: start;
    padding: 6px 8px;
    border: 1px solid var(--cc-color-border-subtle, #eef1f6);
    border-radius: var(--cc-radius, 6px);
    background: transparent;
  }
  .entry[aria-current='true'] {
    background: var(--cc-customer-panel-current-background, var(--cc-color-selected, #e7efff));
  }
  .glyph {
    grid-row: 1 / span 3;
    align-self: center;
    text-align: center;
  }
  .entry-kind,
  .entry-meta {
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
  }
  .entry-title {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .open-tickets,
  .duplicates {
    display: grid;
    gap: 6px;
  }
  .ticket,
  .duplicate {
    display: grid;
    gap: 2px;
  }
  .duplicate {
    grid-template-columns: 1fr auto;
  }
  .duplicate .merge {
    grid-column: 2;
    grid-row: 1 / span 2;
    align-self: center;
  }
  .duplicate-identities {
    font-size: 0.85em;
    overflow-wrap: anywhere;
  }
  dialog {
    max-width: min(420px, calc(100vw - 32px));
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
    color: inherit;
    background: var(--cc-color-surface, #fff);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.35);
  }
  .dialog-actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
  }
  .confirm {
    background: var(--cc-color-danger, #c62828);
    border-color: var(--cc-color-danger, #c62828);
    color: #fff;
  }
`;

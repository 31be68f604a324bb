import { css } from 'lit';

export const ticketPaneStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
    background: var(--cc-ticket-pane-background, var(--cc-color-surface, #fff));
  }
  :host([hidden]) {
    display: none !important;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    min-height: 0;
    flex: 1;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    justify-content: space-between;
    padding: 10px 12px;
    border-bottom: 1px solid var(--cc-color-border, #e2e6ee);
  }
  h2 {
    font-size: 1em;
    margin: 0;
  }
  h3 {
    font-size: 1.05em;
    margin: 4px 0;
    overflow-wrap: anywhere;
  }
  h4 {
    font-size: 0.95em;
    margin: 12px 0 6px;
  }
  .body {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    padding: 8px 12px 16px;
  }
  button.primary {
    background: var(--cc-color-accent, #1a5fd0);
    border-color: var(--cc-color-accent, #1a5fd0);
    color: var(--cc-color-on-accent, #fff);
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  .note,
  .meta,
  .owner,
  .context,
  .hint,
  .row-meta,
  time {
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
  }
  .meta,
  .owner,
  .context {
    margin: 2px 0;
  }
  .error {
    color: var(--cc-ticket-pane-breach-color, #a4161a);
    margin: 6px 0;
  }
  .tickets {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .ticket-row {
    display: grid;
    gap: 2px;
    width: 100%;
    text-align: start;
    padding: 8px 10px;
  }
  .subject {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .sla {
    display: inline-flex;
    gap: 4px;
    align-items: center;
    justify-self: start;
    border-radius: 4px;
    padding: 0 6px;
    font-size: 0.85em;
    font-variant-numeric: tabular-nums;
    color: var(--cc-color-text-muted, #5b6478);
  }
  .sla[data-sla='warning'] {
    background: var(--cc-ticket-pane-warning-background, #fff4d6);
    color: var(--cc-ticket-pane-warning-color, #6b4e00);
    font-weight: 600;
  }
  .sla[data-sla='breach'] {
    background: var(--cc-ticket-pane-breach-background, #fde8e8);
    color: var(--cc-ticket-pane-breach-color, #a4161a);
    font-weight: 600;
  }
  .sla-line {
    margin: 4px 0;
  }
  .conflict {
    border: 1px solid var(--cc-ticket-pane-warning-color, #6b4e00);
    background: var(--cc-ticket-pane-warning-background, #fff4d6);
    color: var(--cc-ticket-pane-warning-color, #6b4e00);
    border-radius: var(--cc-radius, 6px);
    padding: 8px 10px;
    margin: 8px 0;
  }
  .conflict p {
    margin: 0 0 6px;
  }
  .moves,
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    margin-top: 6px;
  }
  #current-status {
    margin: 6px 0 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 2px;
    margin-top: 8px;
    min-width: 0;
    flex: 1;
  }
  .field-row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .field-row .field {
    min-width: 140px;
  }
  label {
    font-size: 0.85em;
    font-weight: 600;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--cc-color-surface, #fff);
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
    padding: 4px 6px;
    max-width: 100%;
  }
  select:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
    outline-offset: 1px;
  }
  textarea {
    resize: vertical;
  }
  textarea.internal {
    background: var(--cc-ticket-pane-internal-background, #fff6d6);
  }
  fieldset {
    border: none;
    margin: 6px 0 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
  }
  fieldset label {
    font-weight: normal;
    display: inline-flex;
    gap: 4px;
    align-items: center;
  }
  .comment-form textarea {
    width: 100%;
  }
  .links ul,
  .history ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .link {
    text-align: start;
  }
  .link[aria-current='true'] {
    border-color: var(--cc-color-focus, #1a5fd0);
  }
  .entry {
    display: flex;
    flex-wrap: wrap;
    gap: 2px 8px;
    align-items: baseline;
    border-inline-start: 3px solid var(--cc-color-border, #c9cfdb);
    padding-inline-start: 8px;
  }
  .entry.internal {
    background: var(--cc-ticket-pane-internal-background, #fff6d6);
    border-inline-start-style: dashed;
  }
  .entry-title {
    font-weight: 600;
    font-size: 0.9em;
  }
  .entry .body {
    flex-basis: 100%;
    margin: 2px 0 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .status[data-status] {
    font-weight: 600;
  }
`;

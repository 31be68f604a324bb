import { css } from 'lit';

export const conversationStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
    background: var(--cc-conversation-background, var(--cc-color-surface-alt, #f7f8fb));
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    min-height: 0;
    flex: 1;
  }
  header {
    padding: 10px 12px;
    border-bottom: 1px solid var(--cc-color-border, #e2e6ee);
    background: var(--cc-color-surface, #fff);
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: 6px 12px;
  }
  .heading {
    flex: 1 1 12em;
    min-width: 0;
  }
  .actions {
    display: flex;
    gap: 6px;
    flex-wrap: wrap;
  }
  .operation:empty {
    display: none;
  }
  .operation,
  .transfer {
    flex-basis: 100%;
    font-size: 0.9em;
  }
  .operation.failed,
  .failed,
  .field-error {
    color: var(--cc-color-danger, #b71c1c);
  }
  .transfer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 8px;
    padding: 8px;
    border: 1px solid var(--cc-color-border, #e2e6ee);
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-color-surface-alt, #f7f8fb);
  }
  .transfer h3 {
    flex-basis: 100%;
    margin: 0;
    font-size: 1em;
  }
  .transfer select,
  .email-fields input[type='text'] {
    font: inherit;
    padding: 4px 6px;
    border-radius: var(--cc-radius, 6px);
    border: 1px solid var(--cc-color-border, #c9cfdb);
    background: var(--cc-color-surface, #fff);
    color: inherit;
    min-width: 0;
  }
  .transfer-actions {
    display: flex;
    gap: 6px;
  }
  .primary {
    background: var(--cc-color-accent, #1a5fd0);
    color: var(--cc-color-on-accent, #fff);
    border-color: transparent;
  }
  .actions [aria-disabled='true'] {
    opacity: 0.55;
    cursor: progress;
  }
  .primary:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  select:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
    outline-offset: 1px;
  }
  h2 {
    font-size: 1.05em;
    margin: 0;
  }
  .meta {
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
  }
  .thread {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    padding: 12px;
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  .message {
    max-width: min(80%, 640px);
    padding: 8px 10px;
    border-radius: 10px;
    background: var(--cc-conversation-inbound-background, var(--cc-color-surface, #fff));
    border: 1px solid var(--cc-color-border-subtle, #e7eaf0);
    align-self: flex-start;
  }
  .message.outbound {
    align-self: flex-end;
    background: var(--cc-conversation-outbound-background, #e3edff);
  }
  .message.internal {
    align-self: flex-end;
    background: var(--cc-conversation-note-background, #fff6d6);
    border-style: dashed;
  }
  .message.system {
    align-self: center;
    background: transparent;
    border: none;
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
  }
  .author {
    font-weight: 600;
    font-size: 0.85em;
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin: 4px 0;
  }
  .footer {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
    align-items: center;
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.8em;
  }
  .envelope {
    font-size: 0.85em;
    color: var(--cc-color-text-muted, #5b6478);
  }
  .envelope strong {
    color: var(--cc-color-text, #1d2433);
  }
  .attachments {
    list-style: none;
    padding: 0;
    margin: 4px 0;
    display: grid;
    gap: 6px;
  }
  .attachment {
    display: grid;
    justify-items: start;
    gap: 2px;
    overflow-wrap: anywhere;
  }
  .thumbnail {
    display: block;
    max-width: var(--cc-conversation-thumbnail-size, 160px);
    max-height: var(--cc-conversation-thumbnail-size, 160px);
    border-radius: 4px;
    border: 1px solid var(--cc-color-border-subtle, #e7eaf0);
    background: var(--cc-color-surface-alt, #f7f8fb);
  }
  .thumbnail[hidden] {
    display: none;
  }
  .email-body {
    margin: 6px 0;
    display: grid;
    gap: 4px;
  }
  .email-frame {
    display: block;
    width: min(100%, 640px);
    max-height: 70vh;
    min-height: 60px;
    border: 1px solid var(--cc-color-border-subtle, #e7eaf0);
    border-radius: 4px;
    background: #fff;
    resize: vertical;
    overflow: auto;
  }
  .remote-notice {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    font-size: 0.85em;
    color: var(--cc-color-text-muted, #5b6478);
  }
  .delivery-icon {
    margin-inline-end: 2px;
  }
  .delivery-read .delivery-icon {
    color: var(--cc-color-accent, #1a5fd0);
  }
  .status {
    padding: 12px;
    color: var(--cc-color-text-muted, #5b6478);
  }
  form {
    border-top: 1px solid var(--cc-color-border, #e2e6ee);
    padding: 8px 12px;
    background: var(--cc-color-surface, #fff);
    display: grid;
    gap: 6px;
  }
  textarea {
    width: 100%;
    min-height: 64px;
    resize: vertical;
    font: inherit;
    padding: 6px 8px;
    border-radius: var(--cc-radius, 6px);
    border: 1px solid var(--cc-color-border, #c9cfdb);
  }
  .composer-actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 8px;
  }
  .composer-buttons {
    display: flex;
    gap: 6px;
  }
  .email-fields {
    border: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 4px 8px;
    align-items: center;
    font-size: 0.9em;
  }
  .email-fields .reply-all,
  .email-fields .field-error {
    grid-column: 1 / -1;
    margin: 0;
  }
  .reply-window,
  .sms-counter {
    margin: 0;
    font-size: 0.85em;
    color: var(--cc-color-text-muted, #5b6478);
  }
  .reply-window.closed {
    color: var(--cc-color-warning-text, #7a4d00);
  }
  .reply-box {
    position: relative;
  }
  .canned {
    position: absolute;
    inset-inline: 0;
    bottom: 100%;
    margin-bottom: 4px;
    max-height: min(50vh, 320px);
    overflow-y: auto;
    background: var(--cc-color-surface, #fff);
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
    box-shadow: 0 4px 16px rgb(0 0 0 / 12%);
    z-index: 1;
  }
  .canned ul {
    list-style: none;
    margin: 0;
    padding: 4px 0;
  }
  .canned li {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0 8px;
    padding: 6px 10px;
    cursor: pointer;
  }
  .canned li.active {
    background: var(--cc-color-selected, #e3edff);
  }
  .shortcut {
    font-family: ui-monospace, monospace;
    color: var(--cc-color-accent-text, #174ea6);
  }
  .canned-title {
    font-weight: 600;
  }
  .canned-text {
    grid-column: 1 / -1;
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .canned-status {
    margin: 0;
    padding: 4px 10px 6px;
    font-size: 0.85em;
    color: var(--cc-color-text-muted, #5b6478);
  }
  .pending-attachments {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    font-size: 0.85em;
  }
  .pending-attachments li {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 2px 4px 2px 8px;
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: 999px;
    overflow-wrap: anywhere;
  }
  .pending-attachments .remove {
    padding: 0 6px;
    border-radius: 999px;
  }
  .send {
    background: var(--cc-color-accent, #1a5fd0);
    color: var(--cc-color-on-accent, #fff);
    border-color: transparent;
  }
  .send:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .offline {
    font-size: 0.85em;
    color: var(--cc-color-warning-text, #7a4d00);
  }
`;

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
  .failed {
    color: var(--cc-color-danger, #b71c1c);
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
    justify-content: space-between;
    align-items: center;
    gap: 8px;
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

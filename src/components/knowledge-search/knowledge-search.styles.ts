import { css } from 'lit';

export const knowledgeSearchStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
    background: var(--cc-knowledge-search-background, var(--cc-color-surface, #fff));
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
  h3 {
    font-size: 0.9em;
    margin: 0;
    padding: 8px 12px 4px;
    color: var(--cc-color-text-muted, #5b6478);
    font-weight: 600;
  }
  form {
    padding: 8px 12px;
  }
  input[type='search'] {
    width: 100%;
    font: inherit;
    padding: 6px 8px;
    border: 1px solid var(--cc-color-border, #c9cfdb);
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-color-surface, #fff);
    color: inherit;
  }
  .scroll {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
  }
  [role='listbox'] {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [role='listbox']:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
    outline-offset: -2px;
  }
  [role='option'] {
    display: grid;
    gap: 2px;
    padding: 8px 12px;
    border-bottom: 1px solid var(--cc-color-border-subtle, #eef1f6);
    cursor: pointer;
  }
  [role='option'].active {
    background: var(--cc-knowledge-search-active-background, var(--cc-color-selected, #e7efff));
    box-shadow: inset 3px 0 0 var(--cc-color-focus, #1a5fd0);
  }
  .title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .hit-meta,
  .meta {
    color: var(--cc-color-text-muted, #5b6478);
    font-size: 0.85em;
  }
  .snippet {
    color: var(--cc-color-text-muted, #5b6478);
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
    overflow-wrap: anywhere;
  }
  .status {
    margin: 0;
    padding: 8px 12px;
    color: var(--cc-color-text-muted, #5b6478);
  }
  .status:empty {
    padding: 0;
  }
  .error {
    margin: 0;
    padding: 8px 12px;
    color: var(--cc-color-danger, #b3261e);
  }
  article {
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding: 8px 12px 12px;
  }
  article h3 {
    padding: 0;
    font-size: 1.05em;
    color: inherit;
    overflow-wrap: anywhere;
  }
  article h3:focus {
    outline: none;
  }
  article h3:focus-visible {
    outline: 2px solid var(--cc-color-focus, #1a5fd0);
  }
  .back {
    align-self: flex-start;
  }
  [part='article-body'] p {
    margin: 0 0 0.75em;
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .variable {
    border-radius: 3px;
    padding: 0 2px;
    background: var(--cc-knowledge-search-variable-background, #fff1c2);
    color: var(--cc-color-vip-text, #5c4300);
  }
  .hint {
    font-size: 0.85em;
    color: var(--cc-color-text-muted, #5b6478);
    margin: 0;
  }
  .actions,
  [part='feedback'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  [part='insert-button'] {
    background: var(--cc-color-accent, #1a5fd0);
    color: var(--cc-color-on-accent, #fff);
    border-color: transparent;
  }
  [part='insert-button']:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button[aria-pressed='true'] {
    background: var(--cc-color-selected, #e7efff);
    border-color: var(--cc-color-focus, #1a5fd0);
  }
  .notes {
    margin: 0;
    padding-left: 1.2em;
  }
`;

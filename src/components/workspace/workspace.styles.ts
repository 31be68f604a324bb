import { css } from 'lit';

export const workspaceStyles = css`
  :host {
    display: block;
    height: var(--cc-workspace-height, 100%);
    min-height: 320px;
    container-type: inline-size;
    background: var(--cc-workspace-background, var(--cc-color-surface, #fff));
    border: 1px solid var(--cc-color-border, #dfe3ea);
    border-radius: var(--cc-radius, 6px);
    overflow: hidden;
  }
  [part='base'] {
    display: flex;
    flex-direction: column;
    height: 100%;
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    padding: 6px 12px;
    border-bottom: 1px solid var(--cc-color-border, #e2e6ee);
    background: var(--cc-workspace-header-background, #f3f5f9);
    font-size: 0.9em;
  }
  .connection {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--cc-color-text-muted, #8a93a6);
  }
  .connection[data-state='connected'] .dot {
    background: var(--cc-color-success, #2e7d32);
  }
  .connection[data-state='reconnecting'] .dot,
  .connection[data-state='connecting'] .dot {
    background: var(--cc-color-warning, #ed8f00);
  }
  .notices {
    display: grid;
    gap: 4px;
    padding: 0 12px;
  }
  .notice {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 8px;
    margin-top: 6px;
    padding: 6px 10px;
    border-radius: var(--cc-radius, 6px);
    background: var(--cc-color-danger-background, #fdecea);
    color: var(--cc-color-danger-text, #8e1b1b);
  }
  .panes {
    flex: 1;
    min-height: 0;
    display: grid;
    grid-template-columns: minmax(260px, 340px) 1fr;
  }
  .pane {
    min-height: 0;
    min-width: 0;
    display: flex;
    flex-direction: column;
  }
  .pane.list {
    border-right: 1px solid var(--cc-color-border, #e2e6ee);
  }
  .back {
    display: none;
  }
  .status {
    padding: 16px;
  }
  /* A side panel: one pane at a time. */
  @container (max-width: 719px) {
    .panes {
      grid-template-columns: 1fr;
    }
    .panes[data-view='list'] .pane.conversation,
    .panes[data-view='conversation'] .pane.list {
      display: none;
    }
    .back {
      display: inline-block;
      margin: 6px 12px 0;
      justify-self: start;
    }
  }
`;

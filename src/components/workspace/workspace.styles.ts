import { css } from 'lit';

/** Light theme tokens; every part reads them, and hosts override any of them on the element. */
const lightTokens = css`
  :host {
    --cc-color-surface: #ffffff;
    --cc-color-surface-alt: #f7f8fb;
    --cc-color-text: #1d2433;
    --cc-color-text-muted: #5b6478;
    --cc-color-border: #dfe3ea;
    --cc-color-border-subtle: #eef1f6;
    --cc-color-accent: #1a5fd0;
    --cc-color-on-accent: #ffffff;
    --cc-color-focus: #1a5fd0;
    --cc-color-selected: #e7efff;
    --cc-color-badge: #eef1f6;
    --cc-color-danger: #b71c1c;
    --cc-color-danger-background: #fdecea;
    --cc-color-danger-text: #8e1b1b;
    --cc-color-warning: #a35a00;
    --cc-color-warning-background: #fff4e0;
    --cc-color-warning-text: #7a4d00;
    --cc-color-success: #2e7d32;
    --cc-color-vip: #fff1c2;
    --cc-color-vip-text: #6b4e00;
    color-scheme: light;
  }
`;

const darkValues = css`
  --cc-color-surface: #171b24;
  --cc-color-surface-alt: #11141b;
  --cc-color-text: #e6e9f0;
  --cc-color-text-muted: #a3abbd;
  --cc-color-border: #333a4a;
  --cc-color-border-subtle: #262c39;
  --cc-color-accent: #7aa7ff;
  --cc-color-on-accent: #0b1020;
  --cc-color-focus: #9cc0ff;
  --cc-color-selected: #233453;
  --cc-color-badge: #262c39;
  --cc-color-danger: #ff8a80;
  --cc-color-danger-background: #3b1c1c;
  --cc-color-danger-text: #ffcdd2;
  --cc-color-warning: #ffb74d;
  --cc-color-warning-background: #3a2a10;
  --cc-color-warning-text: #ffe0b2;
  --cc-color-success: #81c784;
  --cc-color-vip: #4a3b10;
  --cc-color-vip-text: #ffe8a3;
  --cc-conversation-outbound-background: #1f3357;
  --cc-conversation-note-background: #3a3314;
  --cc-workspace-header-background: #1c212c;
  color-scheme: dark;
`;

export const workspaceStyles = [
  lightTokens,
  css`
    :host([theme='dark']) {
      ${darkValues}
    }
    @media (prefers-color-scheme: dark) {
      :host([theme='auto']) {
        ${darkValues}
      }
    }
    :host {
      display: block;
      height: var(--cc-workspace-height, 100%);
      min-height: 320px;
      background: var(--cc-workspace-background, var(--cc-color-surface));
      color: var(--cc-color-text);
      border: 1px solid var(--cc-color-border);
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
      flex-wrap: wrap;
      gap: 4px 12px;
      padding: 6px 12px;
      border-bottom: 1px solid var(--cc-color-border);
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
      background: var(--cc-color-text-muted);
    }
    .connection[data-state='connected'] .dot {
      background: var(--cc-color-success);
    }
    .connection[data-state='reconnecting'] .dot,
    .connection[data-state='connecting'] .dot {
      background: var(--cc-color-warning);
    }
    .notices {
      display: grid;
      gap: 4px;
      padding: 0 12px;
    }
    .notices:empty {
      display: none;
    }
    .notice {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: 8px;
      margin: 6px 0 0;
      padding: 6px 10px;
      border-radius: var(--cc-radius, 6px);
      background: var(--cc-color-danger-background);
      color: var(--cc-color-danger-text);
    }
    .desk {
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: 1fr;
      grid-template-rows: auto minmax(0, 1fr);
      grid-template-areas: 'tabs' 'main';
    }
    .desk[data-layout='medium'] {
      grid-template-columns: minmax(260px, 320px) minmax(0, 1fr);
      grid-template-areas: 'list tabs' 'list main';
    }
    .desk[data-layout='wide'] {
      grid-template-columns: minmax(280px, 340px) minmax(0, 1fr) minmax(300px, 380px);
      grid-template-areas: 'list conversation side-tabs' 'list conversation side';
    }
    [role='tablist'] {
      grid-area: tabs;
      display: flex;
      gap: 2px;
      overflow-x: auto;
      padding: 4px 8px 0;
      border-bottom: 1px solid var(--cc-color-border);
    }
    .desk[data-layout='wide'] [role='tablist'] {
      grid-area: side-tabs;
    }
    [role='tab'] {
      border: none;
      border-bottom: 2px solid transparent;
      border-radius: 0;
      background: transparent;
      padding: 6px 10px;
      white-space: nowrap;
    }
    [role='tab'][aria-selected='true'] {
      border-bottom-color: var(--cc-color-accent);
      font-weight: 600;
    }
    .panel {
      grid-area: main;
      min-height: 0;
      min-width: 0;
      display: flex;
      flex-direction: column;
      overflow: auto;
    }
    .panel[hidden] {
      display: none;
    }
    .panel > * {
      flex: 1;
      min-height: 0;
    }
    .desk[data-layout='medium'] .panel.list,
    .desk[data-layout='wide'] .panel.list {
      grid-area: list;
      grid-row: 1 / span 2;
      border-right: 1px solid var(--cc-color-border);
    }
    .desk[data-layout='wide'] .panel.conversation {
      grid-area: conversation;
      grid-row: 1 / span 2;
      border-right: 1px solid var(--cc-color-border);
    }
    .desk[data-layout='wide'] .panel.side {
      grid-area: side;
    }
    .phone {
      max-height: 50%;
      overflow: auto;
      border-bottom: 1px solid var(--cc-color-border);
    }
    .shortcuts {
      font-size: 0.8em;
      color: var(--cc-color-text-muted);
    }
    .status {
      padding: 16px;
    }
  `,
];

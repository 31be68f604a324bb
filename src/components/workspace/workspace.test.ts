import { expect } from '@esm-bundle/chai';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import { smallSeed } from '../../../test/fixtures/small-seed.js';
import { MemoryConnector } from '../../connector/memory/index.js';
import type { CcErrorEvent } from '../../events/error.js';
import type { CcMessageSentEvent } from '../../events/message-sent.js';
import './workspace.js';
import type { CcWorkspace } from './workspace.js';

function inner(workspace: CcWorkspace, selector: string): HTMLElement | null {
  return workspace.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
}

function listRows(workspace: CcWorkspace): HTMLElement[] {
  const list = inner(workspace, 'cc-conversation-list');
  return Array.from(list?.shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? []);
}

describe('cc-workspace', () => {
  let workspace: CcWorkspace;
  let connector: MemoryConnector;

  beforeEach(() => {
    connector = new MemoryConnector({ seed: smallSeed, traffic: false, deliveryDelayMs: 20 });
    workspace = document.createElement('cc-workspace');
    workspace.connector = connector;
  });

  afterEach(() => workspace.remove());

  async function start(width = 1100): Promise<void> {
    await mount(workspace, width, 600);
    await waitFor(() => listRows(workspace).length > 0, 'the list to render');
  }

  it('hands its store to the list and the conversation, which work together', async () => {
    await start();
    const select = nextEvent(workspace, 'cc-conversation-select');
    listRows(workspace).find((row) => row.dataset.conversationId === 'conv-chat')?.click();
    await select;
    const conversation = inner(workspace, 'cc-conversation');
    await waitFor(() => conversation?.shadowRoot?.querySelectorAll('article').length === 2, 'the thread');
    expect(conversation?.shadowRoot?.querySelector('h2')?.textContent).to.equal('Ada Lovelace');
  });

  it('tells the host when a message was sent', async () => {
    await start();
    listRows(workspace)[0]?.click();
    const conversation = inner(workspace, 'cc-conversation');
    const box = await waitFor(() => conversation?.shadowRoot?.querySelector('textarea'), 'the composer');
    box.value = 'On its way';
    box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    const sent = nextEvent<CcMessageSentEvent>(workspace, 'cc-message-sent');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect((await sent).detail.message.text).to.equal('On its way');
  });

  it('shows a failure to the agent and reports it to the host as cc-error', async () => {
    await start();
    const failure = nextEvent<CcErrorEvent>(workspace, 'cc-error');
    await connector.disconnect();
    listRows(workspace).find((row) => row.dataset.conversationId === 'conv-wechat')?.click();
    const { detail } = await failure;
    expect(detail.error.code).to.equal('unavailable');
    await settle(workspace);
    const notices = () => Array.from(workspace.shadowRoot?.querySelectorAll('.notice') ?? []);
    expect(notices().map((notice) => notice.textContent ?? '').join('\n')).to.contain(detail.error.message);
    const before = notices().length;
    notices()[0]?.querySelector('button')?.click();
    await settle(workspace);
    expect(notices().length).to.equal(before - 1);
  });

  it('switches language with the locale attribute', async () => {
    await start();
    const list = inner(workspace, 'cc-conversation-list');
    expect(list?.shadowRoot?.querySelector('h2')?.textContent).to.equal('Conversations');
    workspace.locale = 'zh-CN';
    await settle(workspace);
    await settle(list as unknown as { updateComplete: Promise<unknown> });
    expect(list?.shadowRoot?.querySelector('h2')?.textContent).to.equal('会话');
    expect(inner(workspace, '.connection')?.textContent).to.contain('在线');
  });

  it('shows one pane at a time in a 360 px side panel, with a way back', async () => {
    await start(360);
    const conversationPane = inner(workspace, '.pane.conversation') as Element;
    expect(getComputedStyle(conversationPane).display).to.equal('none');
    listRows(workspace)[0]?.click();
    await settle(workspace);
    expect(getComputedStyle(conversationPane).display).to.not.equal('none');
    expect(getComputedStyle(inner(workspace, '.pane.list') as Element).display).to.equal('none');
    inner(workspace, '.back')?.click();
    await settle(workspace);
    expect(getComputedStyle(inner(workspace, '.pane.list') as Element).display).to.not.equal('none');
  });

  it('starts on the built-in MemoryConnector when the host gives none', async () => {
    const standalone = document.createElement('cc-workspace');
    await mount(standalone, 1100, 600);
    try {
      await waitFor(() => listRows(standalone).length > 5, 'the demo data to render', 10000);
    } finally {
      standalone.remove();
    }
  });

  it('has no serious accessibility violations', async () => {
    await start();
    listRows(workspace)[0]?.click();
    await settle(workspace);
    await expectAccessible(workspace);
  });
});

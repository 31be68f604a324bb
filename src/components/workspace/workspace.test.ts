import { expect } from '@esm-bundle/chai';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import { smallSeed } from '../../../test/fixtures/small-seed.js';
import { MemoryConnector } from '../../connector/memory/index.js';
import type { CcConversationSelectEvent } from '../../events/conversation-select.js';
import type { CcErrorEvent } from '../../events/error.js';
import type { CcMessageSentEvent } from '../../events/message-sent.js';
import { draftChanged } from '../../store/actions.js';
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
    const shown = notices().map((notice) => notice.textContent ?? '').join('\n');
    expect(shown).to.contain(detail.error.message);
    // What failed is said in the agent's language, with the backend's words as the detail.
    expect(shown).to.contain('A conversation could not be loaded.');
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
    const status = inner(workspace, 'cc-agent-status');
    await waitFor(() => status?.shadowRoot?.querySelector('[part="banner"]')?.textContent?.includes('在线'), 'the status banner in Chinese');
  });

  const visible = (id: string): boolean => {
    const panel = inner(workspace, `#panel-${id}`);
    return panel !== null && !panel.hidden && getComputedStyle(panel).display !== 'none';
  };

  it('is one column with tabs in a 360 px side panel, and opening a conversation shows it', async () => {
    await start(360);
    expect(workspace.currentLayout).to.equal('narrow');
    const tabs = Array.from(workspace.shadowRoot?.querySelectorAll<HTMLElement>('[role="tab"]') ?? []).map((tab) => tab.textContent?.trim());
    expect(tabs).to.deep.equal(['Inbox', 'Conversation', 'Customer', 'Tickets', 'Knowledge']);
    expect([visible('list'), visible('conversation')]).to.deep.equal([true, false]);
    listRows(workspace)[0]?.click();
    await settle(workspace);
    expect([visible('list'), visible('conversation')]).to.deep.equal([false, true]);
    expect(inner(workspace, '#tab-conversation')?.getAttribute('aria-selected')).to.equal('true');
    // Arrow keys move between tabs, as a tab list should.
    inner(workspace, '#tab-conversation')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    await settle(workspace);
    expect(visible('list')).to.equal(true);
    expect(workspace.shadowRoot?.activeElement?.id).to.equal('tab-list');
  });

  it('has three panes from 1080 px: inbox, conversation and a tabbed side panel', async () => {
    await start(1400);
    expect(workspace.currentLayout).to.equal('wide');
    expect([visible('list'), visible('conversation'), visible('customer'), visible('tickets')]).to.deep.equal([true, true, true, false]);
    inner(workspace, '#tab-tickets')?.click();
    await settle(workspace);
    expect([visible('customer'), visible('tickets')]).to.deep.equal([false, true]);
  });

  it('leaves out the parts the features attribute does not name', async () => {
    workspace.setAttribute('features', 'list conversation');
    await start(1400);
    expect(inner(workspace, 'cc-customer-panel')).to.equal(null);
    expect(inner(workspace, 'cc-ticket-pane')).to.equal(null);
    expect(inner(workspace, '[role="tablist"]')).to.equal(null);
    expect([visible('list'), visible('conversation')]).to.deep.equal([true, true]);
  });

  it('opens the most urgent waiting conversation with Alt+N, and takes remapped shortcuts', async () => {
    await start();
    const press = (init: KeyboardEventInit) => inner(workspace, 'cc-conversation-list')?.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, composed: true, ...init }));
    const selectEvent = nextEvent<CcConversationSelectEvent>(workspace, 'cc-conversation-select');
    press({ key: 'n', code: 'KeyN', altKey: true });
    const first = workspace.store?.getState().ui.selectedConversationId;
    expect((await selectEvent).detail.conversationId, 'the host hears of it').to.equal(first);
    expect(first).to.be.a('string');
    workspace.shortcuts = { nextUrgent: 'Ctrl+Shift+U' };
    press({ key: 'n', code: 'KeyN', altKey: true });
    expect(workspace.store?.getState().ui.selectedConversationId).to.equal(first);
    press({ key: 'U', code: 'KeyU', ctrlKey: true, shiftKey: true });
    expect(workspace.store?.getState().ui.selectedConversationId).to.not.equal(first);
  });

  it('switches to the dark theme through its tokens', async () => {
    await start();
    const light = getComputedStyle(workspace).getPropertyValue('--cc-color-surface').trim();
    workspace.theme = 'dark';
    await settle(workspace);
    const dark = getComputedStyle(workspace).getPropertyValue('--cc-color-surface').trim();
    expect([light, dark]).to.deep.equal(['#ffffff', '#171b24']);
    // A host's own value wins over the theme.
    workspace.style.setProperty('--cc-color-surface', 'rgb(1, 2, 3)');
    expect(getComputedStyle(workspace).getPropertyValue('--cc-color-surface').trim()).to.equal('rgb(1, 2, 3)');
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

  it('switches to a connector the host sets after the built-in one has started', async () => {
    const standalone = document.createElement('cc-workspace');
    await mount(standalone, 1100, 600);
    try {
      await waitFor(() => standalone.store?.getState().connection.sync === 'live', 'the built-in desk to go live', 10000);
      const builtIn = standalone.store;
      standalone.connector = connector;
      await waitFor(() => standalone.store !== builtIn && standalone.store?.getState().agent.agent?.name === 'Lin Agent', 'the host connector to take over');
      expect(connector.state).to.equal('connected');
    } finally {
      standalone.remove();
    }
  });

  it('keeps its store, drafts included, when the host moves it in the page', async () => {
    await start();
    const store = workspace.store;
    listRows(workspace)[0]?.click();
    const selected = store?.getState().ui.selectedConversationId ?? '';
    store?.dispatch(draftChanged({ conversationId: selected, text: 'half-written reply' }));
    const elsewhere = document.createElement('div');
    document.body.append(elsewhere);
    elsewhere.append(workspace);
    await settle(workspace);
    expect(workspace.store).to.equal(store);
    expect(workspace.store?.getState().ui.drafts.get(selected)).to.equal('half-written reply');
    elsewhere.remove();
  });

  it('puts focus on the conversation rows with Alt+L', async () => {
    await start();
    inner(workspace, 'cc-conversation')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'l', code: 'KeyL', altKey: true, bubbles: true, composed: true }));
    await settle(workspace);
    const list = inner(workspace, 'cc-conversation-list');
    expect(list?.shadowRoot?.activeElement?.getAttribute('role')).to.equal('listbox');
  });

  it('moves focus to the reply box when opening a conversation hides the inbox', async () => {
    await start(360);
    listRows(workspace)[0]?.click();
    const conversation = inner(workspace, 'cc-conversation');
    await waitFor(() => conversation?.shadowRoot?.activeElement?.tagName === 'TEXTAREA', 'focus in the reply box');
  });

  it('has no serious accessibility violations', async () => {
    await start();
    listRows(workspace)[0]?.click();
    await settle(workspace);
    await expectAccessible(workspace);
  });
});

import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import { smallSeed } from '../../../test/fixtures/small-seed.js';
import { forbidden } from '../../connector/errors.js';
import { MemoryConnector } from '../../connector/memory/index.js';
import type { Seed } from '../../connector/memory/seed.js';
import type { Agent, Presence } from '../../connector/model.js';
import type { CommandOptions } from '../../connector/connector.js';
import type { CcAgentStatusChangeEvent } from '../../events/agent-status-change.js';
import * as actions from '../../store/actions.js';
import { createDeskStore, type DeskStore } from '../../store/create-store.js';
import { CcAgentStatus } from './agent-status.js';

/** A backend whose supervisor has locked presence changes. */
class LockedPresenceConnector extends MemoryConnector {
  override setPresence(_presence: Presence, _options?: CommandOptions): Promise<Agent> {
    return Promise.reject(forbidden('A supervisor locked status changes during the campaign.'));
  }
}

const seed: Seed = {
  ...smallSeed,
  agent: { id: 'agent-1', name: 'Lin Agent', queues: ['q-general'], capacity: [{ channel: 'webchat', max: 3 }, { channel: 'wechat', max: 2 }, { channel: 'email', max: 4 }] },
  conversations: [
    ...(smallSeed.conversations ?? []),
    { id: 'conv-sms', channel: 'sms', customerId: 'cust-ada', status: 'open', assigneeId: 'agent-1', createdAt: '-1m', firstResponseDueAt: '+10m' },
  ],
};

describe('cc-agent-status', () => {
  let store: DeskStore;
  let connector: MemoryConnector;
  let element: CcAgentStatus;

  afterEach(() => {
    element?.remove();
    store?.destroy();
  });

  async function render(make: () => MemoryConnector = () => new MemoryConnector({ seed, traffic: false, deliveryDelayMs: 30 })): Promise<void> {
    connector = make();
    store = createDeskStore({ connector });
    store.dispatch(actions.workspaceStarted());
    await waitFor(() => store.getState().connection.sync === 'live', 'the store to go live');
    element = new CcAgentStatus();
    element.store = store;
    await mount(element, 360, 600);
    await settle(element);
  }

  const $ = <E extends Element = HTMLElement>(selector: string): E => {
    const found = element.shadowRoot?.querySelector<E>(selector);
    if (!found) throw new Error(`${selector} is not rendered`);
    return found;
  };
  const text = (selector: string): string => ($(selector).textContent ?? '').replace(/\s+/g, ' ').trim();
  const metric = (name: string): string => text(`[data-metric="${name}"] dd`);
  const capacityRow = (channel: string): HTMLElement => $(`[data-channel="${channel}"]`);

  it('shows the connection, the presence, each channel’s load and capacity, and an empty day', async () => {
    await render();
    expect($('[part="banner"]').dataset.state).to.equal('online');
    expect(text('[part="banner"]')).to.equal('Online');
    expect($<HTMLSelectElement>('#presence').value).to.equal('available');
    expect(capacityRow('webchat').textContent).to.contain('Web chat');
    expect(capacityRow('webchat').textContent).to.contain('1 of 3 in use');
    expect(capacityRow('email').querySelector('input')?.value).to.equal('4');
    expect(metric('handled')).to.equal('0');
    expect(metric('average-handle-time')).to.contain('No data yet');
    await expectAccessible(element);
  });

  it('changes the presence from the keyboard through the backend and tells the host', async () => {
    await render();
    $<HTMLSelectElement>('#presence').focus();
    const change = nextEvent<CcAgentStatusChangeEvent>(element, 'cc-agent-status-change');
    await sendKeys({ press: 'ArrowDown' });
    expect((await change).detail).to.deep.equal({ presence: 'busy', previous: 'available' });
    expect((await connector.getAgent()).presence).to.equal('busy');
    await settle(element);
    expect($<HTMLSelectElement>('#presence').value).to.equal('busy');
    expect(element.shadowRoot?.querySelector('[role="alert"]')).to.equal(null);
  });

  it('tells the host when the backend changes the presence too', async () => {
    await render();
    const change = nextEvent<CcAgentStatusChangeEvent>(element, 'cc-agent-status-change');
    await connector.setPresence('after-call-work');
    expect((await change).detail).to.deep.equal({ presence: 'after-call-work', previous: 'available' });
  });

  it('keeps the previous presence when the backend refuses, says why, and lets the agent dismiss it', async () => {
    await render(() => new LockedPresenceConnector({ seed, traffic: false }));
    let fired = 0;
    element.addEventListener('cc-agent-status-change', () => (fired += 1));
    const select = $<HTMLSelectElement>('#presence');
    select.value = 'break';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(() => element.shadowRoot?.querySelector('.presence [role="alert"]'), 'the refusal');
    await settle(element);
    expect(text('.presence [role="alert"]')).to.contain('Your status is still Available: it could not be changed to On a break.');
    expect(text('.presence [role="alert"]')).to.contain('A supervisor locked status changes during the campaign.');
    expect($<HTMLSelectElement>('#presence').value).to.equal('available');
    expect(store.getState().agent.agent?.presence).to.equal('available');
    expect(fired).to.equal(0);
    await expectAccessible(element);

    $<HTMLButtonElement>('.presence [role="alert"] button').focus();
    await sendKeys({ press: 'Enter' });
    await settle(element);
    expect(element.shadowRoot?.querySelector('.presence [role="alert"]')).to.equal(null);
    expect(element.shadowRoot?.activeElement?.id).to.equal('presence');
  });

  it('sets a channel’s capacity with the keyboard; refuses what is not a number; keeps the old value when the backend refuses', async () => {
    await render();
    const input = (): HTMLInputElement => capacityRow('webchat').querySelector('input') as HTMLInputElement;
    input().focus();
    input().select();
    await sendKeys({ type: '5' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => store.getState().agent.agent?.capacity.find((entry) => entry.channel === 'webchat')?.max === 5, 'the new maximum');
    await settle(element);
    expect(capacityRow('webchat').textContent).to.contain('1 of 5 in use');

    input().select();
    await sendKeys({ type: '-1' });
    await sendKeys({ press: 'Enter' });
    await settle(element);
    expect(capacityRow('webchat').querySelector('[role="alert"]')?.textContent).to.contain('Enter a whole number');
    expect(input().getAttribute('aria-invalid')).to.equal('true');
    expect(store.getState().agentStatus.capacity.webchat, 'nothing sent').to.equal(undefined);

    input().select();
    await sendKeys({ type: '500' });
    await sendKeys({ press: 'Tab' });
    await waitFor(() => store.getState().agentStatus.capacity.webchat?.status === 'failed', 'the refusal');
    await settle(element);
    expect(capacityRow('webchat').querySelector('[role="alert"]')?.textContent).to.contain('The Web chat limit is still 5');
    expect(input().value).to.equal('5');
    await expectAccessible(element);
  });

  it('shows reconnecting and offline, with the sends that are queued', async () => {
    await render();
    store.dispatch(actions.connectionStateChanged({ state: 'reconnecting' }));
    await settle(element);
    expect($('[part="banner"]').dataset.state).to.equal('reconnecting');
    expect(text('[part="banner"]')).to.equal('Reconnecting…');

    await connector.disconnect();
    for (const clientKey of ['k-1', 'k-2']) {
      store.dispatch(
        actions.messageSubmitted({ conversationId: 'conv-chat', clientKey, text: 'On its way', internal: false, authorName: 'Lin', submittedAt: Date.now() }),
      );
    }
    await waitFor(() => store.getState().agentStatus.pendingSends.size === 2, 'the sends to be held');
    await settle(element);
    expect($('[part="banner"]').dataset.state).to.equal('offline');
    expect(text('[part="banner"]')).to.equal('Offline 2 sends queued');
    await expectAccessible(element);
  });

  it('counts today’s handled conversations, handle time and first replies on time', async () => {
    await render();
    // A reply before the SMS conversation's due time is a first response on time.
    store.dispatch(
      actions.messageSubmitted({ conversationId: 'conv-sms', clientKey: 'k-sms', text: 'Hello!', internal: false, authorName: 'Lin', submittedAt: Date.now() }),
    );
    await connector.setConversationStatus('conv-chat', 'resolved');
    await connector.setConversationStatus('conv-wechat', 'resolved');
    await waitFor(() => store.getState().agentStatus.metrics.resolved.size === 2, 'two resolutions');
    await waitFor(() => store.getState().agentStatus.metrics.firstResponses.size === 1, 'the first response');
    await settle(element);
    expect(metric('handled')).to.equal('2');
    // Both were open since the seed made them (minutes ago), so the average is a few minutes, as m:ss.
    expect(metric('average-handle-time')).to.match(/^\d+:\d\d$/);
    expect(metric('first-response-sla')).to.equal('100%');
    // The capacity follows the backend's load: the web chat slot is free again.
    expect(capacityRow('webchat').textContent).to.contain('0 of 3 in use');
  });

  it('speaks Chinese inside a zh-CN page region', async () => {
    const region = document.createElement('div');
    region.lang = 'zh-CN';
    document.body.append(region);
    try {
      connector = new MemoryConnector({ seed, traffic: false });
      store = createDeskStore({ connector });
      store.dispatch(actions.workspaceStarted());
      await waitFor(() => store.getState().connection.sync === 'live', 'the store to go live');
      element = new CcAgentStatus();
      element.store = store;
      region.append(element);
      await settle(element);
      expect(text('[part="banner"]')).to.equal('在线');
      expect($<HTMLSelectElement>('#presence').selectedOptions[0]?.textContent?.trim()).to.equal('空闲');
    } finally {
      region.remove();
    }
  });
});

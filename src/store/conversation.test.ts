import { expect } from '@esm-bundle/chai';
import { ConnectorError } from '../connector/errors.js';
import type { Attachment, CannedReply, Message } from '../connector/model.js';
import { FakeConnector } from '../../test/fakes/fake-connector.js';
import { makeAgent, makeConversation, makeCustomer, makeMessage, makeSnapshot, T0 } from '../../test/fakes/fixtures.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as conversationActions from './actions-conversation.js';
import { createDeskStore, type DeskStore } from './create-store.js';
import { selectSelectedComposerExtras, selectSelectedOperation } from './selectors-conversation.js';
import type { DeskState } from './state.js';

async function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Harness {
  readonly fake: FakeConnector;
  readonly store: DeskStore;
  readonly seen: Action[];
  state(): DeskState;
}

async function liveHarness(): Promise<Harness> {
  const fake = new FakeConnector();
  const store = createDeskStore({ connector: fake, now: () => T0 });
  const seen: Action[] = [];
  store.actions$.subscribe((action) => seen.push(action));
  fake.respond('connect', () => ({ agent: makeAgent() }));
  fake.respond('markRead', (call) => makeConversation(call.args[0]));
  store.dispatch(actions.workspaceStarted());
  (await fake.waitForCall('snapshot', 0)).resolve(
    makeSnapshot({
      conversations: [makeConversation('c-1'), makeConversation('c-2', { channel: 'email' })],
      customers: [makeCustomer('cu-c-1'), makeCustomer('cu-c-2')],
      sequences: { conversations: 1 },
    }),
  );
  const h = { fake, store, seen, state: () => store.getState() };
  await until(() => h.state().connection.sync === 'live', 'the store to go live');
  return h;
}

async function openThread(h: Harness, conversationId: string, messages: readonly Message[] = []): Promise<void> {
  h.store.dispatch(actions.conversationSelected({ conversationId }));
  (await h.fake.waitForCall('listMessages', h.fake.calls('listMessages').length)).resolve({ items: messages, nextCursor: null });
  await until(() => h.state().threads.byConversation.get(conversationId)?.status === 'loaded', 'the thread to load');
}

const photo: Attachment = { id: 'a-1', name: 'photo.png', mimeType: 'image/png', size: 1200, url: 'blob:http://localhost/123' };

describe('conversation store: transfer, resolve, canned replies and composer extras', () => {
  const stores: DeskStore[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.destroy();
  });
  async function harness(): Promise<Harness> {
    const h = await liveHarness();
    stores.push(h.store);
    return h;
  }

  it('transfers through assignConversation with an idempotency key, one operation at a time per conversation', async () => {
    const h = await harness();
    const target = { kind: 'queue', queueId: 'q-2' } as const;
    h.store.dispatch(conversationActions.transferRequested({ conversationId: 'c-1', target }));
    h.store.dispatch(conversationActions.statusChangeRequested({ conversationId: 'c-1', status: 'resolved' }));
    const call = await h.fake.waitForCall('assignConversation', 0);
    expect(call.args.slice(0, 2)).to.deep.equal(['c-1', target]);
    expect(call.idempotencyKey).to.be.a('string').and.not.equal('');
    expect(h.state().conversation.operations.get('c-1')).to.deep.equal({ kind: 'transfer', status: 'pending', error: null });
    await settle();
    expect(h.fake.calls('setConversationStatus')).to.have.length(0);

    call.resolve(makeConversation('c-1', { assigneeId: null, queueId: 'q-2', status: 'queued' }));
    await until(() => h.state().conversation.operations.get('c-1') === undefined, 'the operation to finish');
    expect(h.seen.map((action) => action.type)).to.include('[Connector] conversation transferred');
  });

  it('keeps a failed transfer with its reason until dismissed, and a new attempt clears it', async () => {
    const h = await harness();
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-1' }));
    h.store.dispatch(conversationActions.transferRequested({ conversationId: 'c-1', target: { kind: 'agent', agentId: 'nobody' } }));
    (await h.fake.waitForCall('assignConversation', 0)).reject(new ConnectorError('not-found', 'No agent nobody'));
    await until(() => selectSelectedOperation(h.state())?.status === 'failed', 'the failure');
    expect(selectSelectedOperation(h.state())).to.deep.equal({ kind: 'transfer', status: 'failed', error: { code: 'not-found', message: 'No agent nobody' } });
    // Shown inline by the conversation, not as a banner.
    expect(h.state().ui.notices).to.have.length(0);

    h.store.dispatch(conversationActions.transferRequested({ conversationId: 'c-1', target: { kind: 'agent', agentId: 'a-2' } }));
    expect(selectSelectedOperation(h.state())).to.deep.equal({ kind: 'transfer', status: 'pending', error: null });
    (await h.fake.waitForCall('assignConversation', 1)).reject(new ConnectorError('unavailable', 'Offline'));
    await until(() => selectSelectedOperation(h.state())?.status === 'failed', 'the second failure');
    h.store.dispatch(conversationActions.operationFailureDismissed({ conversationId: 'c-1' }));
    expect(selectSelectedOperation(h.state())).to.equal(null);
  });

  it('resolves and reopens through setConversationStatus', async () => {
    const h = await harness();
    h.store.dispatch(conversationActions.statusChangeRequested({ conversationId: 'c-1', status: 'resolved' }));
    const resolve = await h.fake.waitForCall('setConversationStatus', 0);
    expect(resolve.args.slice(0, 2)).to.deep.equal(['c-1', 'resolved']);
    expect(h.state().conversation.operations.get('c-1')?.kind).to.equal('resolve');
    resolve.resolve(makeConversation('c-1', { status: 'resolved' }));
    await until(() => h.state().conversation.operations.get('c-1') === undefined, 'the resolve to finish');

    h.store.dispatch(conversationActions.statusChangeRequested({ conversationId: 'c-1', status: 'open' }));
    const reopen = await h.fake.waitForCall('setConversationStatus', 1);
    expect(reopen.args.slice(0, 2)).to.deep.equal(['c-1', 'open']);
    expect(h.state().conversation.operations.get('c-1')?.kind).to.equal('reopen');
    reopen.reject(new ConnectorError('conflict', 'Closed elsewhere'));
    await until(() => h.state().conversation.operations.get('c-1')?.status === 'failed', 'the reopen to fail');
  });

  it('loads canned replies when first asked, once while in flight, and again after a failure', async () => {
    const h = await harness();
    expect(h.fake.calls('listCannedReplies')).to.have.length(0);
    h.store.dispatch(conversationActions.cannedRepliesRequested());
    h.store.dispatch(conversationActions.cannedRepliesRequested());
    const first = await h.fake.waitForCall('listCannedReplies', 0);
    await settle();
    expect(h.fake.calls('listCannedReplies')).to.have.length(1);
    first.reject(new ConnectorError('unavailable', 'Offline'));
    await until(() => h.state().conversation.cannedReplies.status === 'failed', 'the failure');
    expect(h.state().conversation.cannedReplies.error?.message).to.equal('Offline');

    h.store.dispatch(conversationActions.cannedRepliesRequested());
    const replies: CannedReply[] = [{ id: 'cr-1', shortcut: 'hi', title: 'Hi', text: 'Hi {customer.name}', locale: 'en' }];
    (await h.fake.waitForCall('listCannedReplies', 1)).resolve(replies);
    await until(() => h.state().conversation.cannedReplies.status === 'loaded', 'the replies');
    expect(h.state().conversation.cannedReplies.items).to.deep.equal(replies);
  });

  it('loads the agents and queues to transfer to, keeping the old lists while refreshing', async () => {
    const h = await harness();
    h.store.dispatch(conversationActions.transferTargetsRequested());
    (await h.fake.waitForCall('listAgents', 0)).resolve([{ id: 'a-2', name: 'Grace', presence: 'available' }]);
    (await h.fake.waitForCall('listQueues', 0)).resolve([{ id: 'q-2', name: 'VIP' }]);
    await until(() => h.state().conversation.transferTargets.status === 'loaded', 'the targets');
    h.store.dispatch(conversationActions.transferTargetsRequested());
    expect(h.state().conversation.transferTargets).to.deep.include({ status: 'loading', queues: [{ id: 'q-2', name: 'VIP' }] });
    (await h.fake.waitForCall('listAgents', 1)).reject(new ConnectorError('unavailable', 'Offline'));
    await until(() => h.state().conversation.transferTargets.status === 'failed', 'the failure');
    expect(h.state().conversation.transferTargets.agents).to.have.length(1);
  });

  it('keeps attachments and email fields per conversation until the message is submitted', async () => {
    const h = await harness();
    h.store.dispatch(actions.conversationSelected({ conversationId: 'c-2' }));
    const fields = { subject: 'Re: Invoice', to: 'ada@example.com', cc: '', replyAll: false };
    h.store.dispatch(conversationActions.emailFieldsChanged({ conversationId: 'c-2', fields }));
    h.store.dispatch(conversationActions.attachmentsAdded({ conversationId: 'c-2', attachments: [photo, { ...photo, id: 'a-2', name: 'b.png' }] }));
    h.store.dispatch(conversationActions.attachmentRemoved({ conversationId: 'c-2', attachmentId: 'a-2' }));
    expect(selectSelectedComposerExtras(h.state())).to.deep.equal({ email: fields, attachments: [photo] });
    expect(h.state().conversation.composer.get('c-1')).to.equal(undefined);
    h.store.dispatch(
      actions.messageSubmitted({ conversationId: 'c-2', clientKey: 'k-1', text: 'See attached', internal: false, authorName: 'Ada Agent', submittedAt: T0 }),
    );
    expect(h.state().conversation.composer.get('c-2')).to.equal(undefined);
  });

  it('sends the attachments and email header with the message; a retry sends exactly the same', async () => {
    const h = await harness();
    await openThread(h, 'c-2', [makeMessage('m-1', 'c-2')]);
    const email = { subject: 'Re: Invoice', to: ['ada@example.com'], cc: ['boss@example.com'] };
    h.store.dispatch(
      actions.messageSubmitted({
        conversationId: 'c-2',
        clientKey: 'k-1',
        text: 'See attached',
        internal: false,
        authorName: 'Ada Agent',
        submittedAt: T0,
        attachments: [photo],
        email,
      }),
    );
    const pending = h.state().threads.byConversation.get('c-2')?.messages.find((message) => message.clientKey === 'k-1');
    expect(pending?.attachments).to.deep.equal([photo]);
    expect(pending?.email).to.deep.include(email);

    const first = await h.fake.waitForCall('sendMessage', 0);
    const expectedDraft = { conversationId: 'c-2', text: 'See attached', internal: false, attachments: [photo], email };
    expect(first.args[0]).to.deep.equal(expectedDraft);
    expect(first.idempotencyKey).to.equal('k-1');
    first.reject(new ConnectorError('unavailable', 'Offline'));
    await until(() => h.state().threads.byConversation.get('c-2')?.messages.some((message) => message.delivery === 'failed') === true, 'the failure');

    h.store.dispatch(actions.messageRetryRequested({ conversationId: 'c-2', clientKey: 'k-1' }));
    const retry = await h.fake.waitForCall('sendMessage', 1);
    expect(retry.args[0]).to.deep.equal(expectedDraft);
    expect(retry.idempotencyKey).to.equal('k-1');
  });

  it('sends an internal note without an email header even on the email channel', async () => {
    const h = await harness();
    await openThread(h, 'c-2');
    h.store.dispatch(
      actions.messageSubmitted({ conversationId: 'c-2', clientKey: 'k-2', text: 'Checked the invoice', internal: true, authorName: 'Ada Agent', submittedAt: T0 }),
    );
    expect((await h.fake.waitForCall('sendMessage', 0)).args[0]).to.deep.equal({ conversationId: 'c-2', text: 'Checked the invoice', internal: true });
  });

  it('aborts an operation in flight when the workspace stops', async () => {
    const h = await harness();
    h.store.dispatch(conversationActions.statusChangeRequested({ conversationId: 'c-1', status: 'resolved' }));
    const call = await h.fake.waitForCall('setConversationStatus', 0);
    h.store.destroy();
    expect(call.outcome).to.equal('aborted');
    expect(h.state().conversation.operations.size).to.equal(0);
  });
});

import { expect } from '@esm-bundle/chai';
import { BehaviorSubject, Subject, merge } from 'rxjs';
import { waitFor } from '../../test/helpers/events.js';
import { ADA_PHONE, MALLORY_PHONE, phoneSeed, phoneSeedWithRoles, type PhoneRole } from '../../test/fixtures/phone-seed.js';
import { MemoryConnector } from '../connector/memory/index.js';
import { openDeskStorage } from '../storage/desk-storage.js';
import { databaseName } from '../storage/schema.js';
import { DemoTelephony } from '../telephony/demo/demo-telephony.js';
import type { Telephony, TelephonyEvent } from '../telephony/telephony.js';
import type { Action } from './action.js';
import * as actions from './actions.js';
import * as calls from './actions-calls.js';
import { createDeskStore, type DeskStore } from './create-store.js';
import { wrapUpRequestKey } from './slices/calls.js';
import { presentCall, selectCurrentCall, selectRingingCalls, selectShouldRing, selectShownCallEntries, selectShownWrapUps } from './selectors-calls.js';

describe('store: calls', () => {
  let store: DeskStore;
  let connector: MemoryConnector;
  let phone: DemoTelephony;
  let seen: Action[];

  afterEach(() => store?.destroy());

  async function start(
    options: { phone?: Telephony | null; ringsHere$?: BehaviorSubject<boolean>; role?: PhoneRole; storageNamespace?: string } = {},
  ): Promise<void> {
    connector = new MemoryConnector({ seed: options.role ? phoneSeedWithRoles : phoneSeed, ...(options.role ? { role: options.role } : {}), traffic: false, deliveryDelayMs: 20 });
    phone = new DemoTelephony({ registerDelayMs: 5, answerDelayMs: 30, qualityIntervalMs: 40, recoveryDelayMs: 40 });
    const given = options.phone === undefined ? phone : options.phone;
    store = createDeskStore({
      connector,
      telephony: { create: () => Promise.resolve(given), ...(options.ringsHere$ ? { ringsHere$: options.ringsHere$ } : {}) },
      ...(options.storageNamespace ? { storage: openDeskStorage({ namespace: options.storageNamespace }), ownsStorage: true } : {}),
    });
    seen = [];
    store.actions$.subscribe((action) => seen.push(action));
    store.dispatch(actions.workspaceStarted());
    await waitFor(() => store.getState().connection.sync === 'live', 'the store to go live');
    if (given) await waitFor(() => store.getState().calls.registration === 'registered', 'the phone to register');
  }

  const entry = (callId: string) => store.getState().calls.calls.find((candidate) => candidate.info.id === callId);

  it('has no phone without the option, and none when the factory says so', async () => {
    await start({ phone: null });
    await waitFor(() => store.getState().calls.availability === 'none', 'the desk to know it has no phone');
    expect(store.getState().calls.registration).to.equal('unregistered');
  });

  it('registers, lists the devices, and looks up an inbound caller with their phone conversation', async () => {
    await start();
    expect(store.getState().calls.availability).to.equal('available');
    await waitFor(() => store.getState().calls.devices.length > 0, 'the devices');
    const callId = phone.simulateInbound({ number: ADA_PHONE, displayName: 'A. Lovelace' });
    expect(selectRingingCalls(store.getState()).map((ringing) => ringing.info.id)).to.deep.equal([callId]);
    expect(selectShouldRing(store.getState())).to.equal(true);
    await waitFor(() => entry(callId)?.caller?.status === 'matched', 'the caller to be matched');
    expect(entry(callId)?.caller?.customer?.name).to.equal('Ada Lovelace');
    expect(entry(callId)?.caller?.conversationId).to.equal('conv-phone');
    expect(store.getState().customers.entities.get('cust-ada')?.vipLevel).to.equal(2);
  });

  it('calls an unknown number unknown', async () => {
    await start();
    const callId = phone.simulateInbound({ number: '+49 30 1234567' });
    await waitFor(() => entry(callId)?.caller?.status === 'unknown', 'the caller to be unknown');
  });

  it('answers, holds, resumes and hangs up; the wrap-up is saved as a call record and the presence follows', async () => {
    await start();
    const callId = phone.simulateInbound({ number: ADA_PHONE });
    await waitFor(() => entry(callId)?.caller?.status === 'matched', 'the caller');
    store.dispatch(calls.answerRequested({ callId }));
    await waitFor(() => entry(callId)?.info.state === 'active', 'the call to be answered');
    expect(selectCurrentCall(store.getState())?.info.id).to.equal(callId);
    store.dispatch(calls.holdRequested({ callId }));
    await waitFor(() => entry(callId)?.info.state === 'held', 'the call to be held');
    store.dispatch(calls.resumeRequested({ callId }));
    await waitFor(() => entry(callId)?.info.state === 'active', 'the call to be resumed');
    await waitFor(() => entry(callId)?.quality !== null, 'a quality sample');
    store.dispatch(calls.hangupRequested({ callId }));
    await waitFor(() => store.getState().calls.wrapUps.length === 1, 'the wrap-up');
    expect(store.getState().calls.calls).to.deep.equal([]);
    const wrapUp = store.getState().calls.wrapUps[0];
    expect(wrapUp?.customerId).to.equal('cust-ada');
    expect(wrapUp?.call.endReason).to.equal('hangup-local');
    await waitFor(() => store.getState().agent.agent?.presence === 'after-call-work', 'after-call work');

    store.dispatch(calls.wrapUpSubmitted({ callId, disposition: 'resolved', notes: 'Order #1042 found.', requestKey: 'wrap-1' }));
    await waitFor(() => store.getState().calls.wrapUps.length === 0, 'the wrap-up to be saved');
    const saved = seen.find(calls.callRecordSaved.match);
    expect(saved?.payload.customerId).to.equal('cust-ada');
    expect(saved?.payload.message.call?.disposition).to.equal('resolved');
    expect(saved?.payload.message.conversationId).to.equal('conv-phone');
    const thread = await connector.listMessages('conv-phone', { limit: 10 });
    expect(thread.items.map((message) => message.text)).to.include('Order #1042 found.');
    await waitFor(() => store.getState().agent.agent?.presence === 'available', 'the presence to come back');
  });

  /** An inbound call from Ada, answered, then hung up by her: its wrap-up is open. */
  async function wrappedUpInbound(): Promise<string> {
    await start();
    const callId = phone.simulateInbound({ number: ADA_PHONE });
    store.dispatch(calls.answerRequested({ callId }));
    await waitFor(() => entry(callId)?.info.state === 'active', 'the call');
    phone.simulateRemoteHangup(callId);
    await waitFor(() => store.getState().calls.wrapUps.length === 1, 'the wrap-up');
    return callId;
  }

  it('keeps a failed save with its reason, and a retry with the same key records the call once', async () => {
    const callId = await wrappedUpInbound();
    expect(store.getState().calls.wrapUps[0]?.call.endReason).to.equal('hangup-remote');
    await connector.disconnect();
    store.dispatch(calls.wrapUpSubmitted({ callId, disposition: 'callback', notes: 'Call back at 5.', requestKey: 'wrap-2' }));
    await waitFor(() => store.getState().calls.wrapUps[0]?.status === 'failed', 'the save to fail');
    expect(store.getState().calls.wrapUps[0]?.error?.code).to.equal('unavailable');
    await connector.connect();
    store.dispatch(calls.wrapUpSubmitted({ callId, disposition: 'callback', notes: 'Call back at 5.', requestKey: 'wrap-2' }));
    await waitFor(() => store.getState().calls.wrapUps.length === 0, 'the retry to be saved');
    const thread = await connector.listMessages('conv-phone', { limit: 10 });
    expect(thread.items.filter((message) => message.text === 'Call back at 5.')).to.have.length(1);
  });

  it('derives the wrap-up key from the call: an unchanged retry repeats it, an edited one saves with a new one', async () => {
    const callId = await wrappedUpInbound();
    const form = () => {
      const wrapUp = store.getState().calls.wrapUps[0];
      if (!wrapUp) throw new Error('no wrap-up');
      return wrapUp;
    };
    const first = { disposition: 'callback', notes: 'Call back at 5.' };
    const firstKey = wrapUpRequestKey(form(), first);
    expect(firstKey).to.contain(callId);
    await connector.disconnect();
    store.dispatch(calls.wrapUpSubmitted({ callId, ...first, requestKey: firstKey }));
    await waitFor(() => form().status === 'failed', 'the save to fail');
    expect(wrapUpRequestKey(form(), first), 'an unchanged retry').to.equal(firstKey);
    const edited = { disposition: 'callback', notes: 'Call back at 6, not 5.' };
    const editedKey = wrapUpRequestKey(form(), edited);
    expect(editedKey, 'an edited retry').not.to.equal(firstKey);
    await connector.connect();
    store.dispatch(calls.wrapUpSubmitted({ callId, ...edited, requestKey: editedKey }));
    await waitFor(() => store.getState().calls.wrapUps.length === 0, 'the edited retry to be saved');
    const thread = await connector.listMessages('conv-phone', { limit: 10 });
    expect(thread.items.filter((message) => message.call !== null && message.call !== undefined).map((message) => message.text)).to.deep.equal(['Call back at 6, not 5.']);
  });

  it('records a call from an unknown number on a new customer with that number', async () => {
    await start();
    const callId = phone.simulateInbound({ number: '+49 30 1234567', displayName: 'Grete Weber' });
    await waitFor(() => entry(callId)?.caller?.status === 'unknown', 'the caller to be unknown');
    store.dispatch(calls.answerRequested({ callId }));
    await waitFor(() => entry(callId)?.info.state === 'active', 'the call');
    store.dispatch(calls.hangupRequested({ callId }));
    await waitFor(() => store.getState().calls.wrapUps.length === 1, 'the wrap-up');
    store.dispatch(calls.wrapUpSubmitted({ callId, disposition: 'wrong-number', notes: '', requestKey: 'wrap-3' }));
    await waitFor(() => seen.find(calls.callRecordSaved.match), 'the call record');
    const saved = seen.find(calls.callRecordSaved.match);
    const [created] = await connector.findCustomers({ kind: 'phone', value: '+49 30 1234567' });
    expect(created?.name).to.equal('Grete Weber');
    expect(saved?.payload.customerId).to.equal(created?.id);
    expect(saved?.payload.message.text).to.equal('Inbound call with +49 30 1234567.');
  });

  it('records the call of a customer without a phone conversation in a phone conversation, not in the one the screen pop opened', async () => {
    await start();
    const callId = phone.simulateInbound({ number: MALLORY_PHONE });
    await waitFor(() => entry(callId)?.caller?.status === 'matched', 'the caller to be matched');
    expect(entry(callId)?.caller?.conversationId).to.equal('conv-email');
    store.dispatch(calls.answerRequested({ callId }));
    await waitFor(() => entry(callId)?.info.state === 'active', 'the call');
    store.dispatch(calls.hangupRequested({ callId }));
    await waitFor(() => store.getState().calls.wrapUps.length === 1, 'the wrap-up');
    store.dispatch(calls.wrapUpSubmitted({ callId, disposition: 'resolved', notes: 'Refund explained.', requestKey: 'wrap-mallory' }));
    await waitFor(() => store.getState().calls.wrapUps.length === 0, 'the wrap-up to be saved');
    const saved = seen.find(calls.callRecordSaved.match);
    expect(saved?.payload.customerId).to.equal('cust-evil');
    const conversation = await connector.getConversation(saved?.payload.message.conversationId ?? '');
    expect([conversation.channel, conversation.customerId]).to.deep.equal(['phone', 'cust-evil']);
  });

  it('holds the call in progress when another is answered, and switches back', async () => {
    await start();
    const first = phone.simulateInbound({ number: ADA_PHONE });
    store.dispatch(calls.answerRequested({ callId: first }));
    await waitFor(() => entry(first)?.info.state === 'active', 'the first call');
    const second = phone.simulateInbound({ number: '+49 30 1234567' });
    store.dispatch(calls.answerRequested({ callId: second }));
    await waitFor(() => entry(second)?.info.state === 'active', 'the second call');
    expect(entry(first)?.info.state).to.equal('held');
    store.dispatch(calls.resumeRequested({ callId: first }));
    await waitFor(() => entry(first)?.info.state === 'active', 'the switch back');
    expect(entry(second)?.info.state).to.equal('held');
  });

  it('places an outbound call that the other side answers, and an attended transfer completes', async () => {
    await start();
    store.dispatch(calls.dialRequested({ target: '+15550123' }));
    await waitFor(() => store.getState().calls.calls[0]?.info.state === 'active', 'the outbound call to be answered');
    const callId = store.getState().calls.calls[0]?.info.id ?? '';
    store.dispatch(calls.consultRequested({ callId, target: '2001' }));
    await waitFor(() => store.getState().calls.calls.some((candidate) => candidate.info.consultFor === callId && candidate.info.state === 'active'), 'the consultation');
    expect(entry(callId)?.info.state).to.equal('held');
    const consult = store.getState().calls.calls.find((candidate) => candidate.info.consultFor === callId);
    store.dispatch(calls.transferCompletionRequested({ callId, consultCallId: consult?.info.id ?? '' }));
    await waitFor(() => store.getState().calls.calls.length === 0, 'both calls to end');
    expect(store.getState().calls.wrapUps.map((wrapUp) => [wrapUp.call.id, wrapUp.call.endReason])).to.deep.equal([[callId, 'transferred']]);
  });

  it('turns a refused command into a visible failure', async () => {
    await start();
    const callId = phone.simulateInbound({ number: ADA_PHONE });
    store.dispatch(calls.holdRequested({ callId }));
    await waitFor(() => store.getState().calls.error, 'the failure');
    expect(store.getState().calls.error).to.deep.include({ command: 'hold', callId });
    expect(store.getState().calls.error?.error.code).to.equal('invalid-state');
    expect(store.getState().calls.pending).to.equal(null);
    store.dispatch(calls.callErrorDismissed());
    expect(store.getState().calls.error).to.equal(null);
  });

  it('falls back to the default device when the selected one is unplugged', async () => {
    await start();
    await waitFor(() => store.getState().calls.devices.length > 0, 'the devices');
    store.dispatch(calls.devicesChangeRequested({ selection: { speakerId: 'headset-speaker', ringerId: 'default-speaker' } }));
    await waitFor(() => store.getState().calls.selection.speakerId === 'headset-speaker', 'the headset to be selected');
    phone.simulateDeviceRemoved('headset-speaker');
    expect(store.getState().calls.selection).to.deep.equal({ microphoneId: null, speakerId: null, ringerId: 'default-speaker' });
    expect(store.getState().calls.fallback).to.deep.equal({ role: 'speaker', label: 'USB headset' });
  });

  it('rings only where ringing is allowed, and shows the network loss and the recovery', async () => {
    const ringsHere$ = new BehaviorSubject(true);
    await start({ ringsHere$ });
    ringsHere$.next(false);
    phone.simulateInbound({ number: ADA_PHONE });
    expect(selectShouldRing(store.getState())).to.equal(false);
    phone.simulateNetworkLoss();
    expect(store.getState().calls.registration).to.equal('reconnecting');
    await waitFor(() => store.getState().calls.registration === 'registered', 'the phone to register again');
  });

  it('stops the phone when the store is destroyed', async () => {
    await start();
    phone.simulateInbound({ number: ADA_PHONE });
    store.destroy();
    await waitFor(() => phone.registrationState === 'unregistered', 'the phone to stop');
    expect(phone.currentCalls).to.deep.equal([]);
  });

  it('looks the caller up again when a call it saw end is shown ringing again (a follower tab across a leader change)', async () => {
    const replayed = new Subject<TelephonyEvent>();
    const demo = new DemoTelephony({ registerDelayMs: 5 });
    const events$ = merge(demo.events$, replayed);
    // The demo phone, with events the test adds (what a follower tab is shown).
    const shown = new Proxy(demo, { get: (target, key) => (key === 'events$' ? events$ : Reflect.get(target, key, target)) });
    await start({ phone: shown });
    const callId = demo.simulateInbound({ number: ADA_PHONE });
    await waitFor(() => entry(callId)?.caller?.status === 'matched', 'the caller');
    const ringing = demo.currentCalls.find((call) => call.id === callId);
    if (!ringing) throw new Error('the demo phone lost the call');
    replayed.next({ type: 'call', call: { ...ringing, state: 'ended', endedAt: Date.now(), endReason: 'network' } });
    expect(entry(callId)).to.equal(undefined);
    replayed.next({ type: 'call', call: ringing });
    expect(entry(callId)?.caller?.status).to.equal('looking');
    await waitFor(() => entry(callId)?.caller?.status === 'matched', 'the caller looked up again');
  });

  describe('least privilege', () => {
    const UNKNOWN = '+49 30 1234567';
    const UNKNOWN_MASKED = '+49 3* ***4567';
    /** The clear number, however it may be written. */
    const clearForms = [UNKNOWN, UNKNOWN.replace(/\s/g, ''), '1234567'];
    const namespaces: string[] = [];

    afterEach(async () => {
      store?.destroy();
      for (const namespace of namespaces.splice(0)) {
        await new Promise((resolve) => {
          const request = indexedDB.deleteDatabase(databaseName(namespace));
          request.onsuccess = request.onerror = request.onblocked = resolve;
        });
      }
    });

    async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
      const deadline = performance.now() + timeoutMs;
      while (!(await check())) {
        if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    /** Every record of the desk's database, as text. */
    async function databaseText(namespace: string): Promise<string> {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(databaseName(namespace));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('cannot open the database'));
      });
      const out: string[] = [];
      for (const name of Array.from(db.objectStoreNames)) {
        const records = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(name, 'readonly').objectStore(name).getAll();
          request.onsuccess = () => resolve(request.result as unknown[]);
          request.onerror = () => reject(request.error ?? new Error(`cannot read ${name}`));
        });
        out.push(`${name}: ${JSON.stringify(records)}`);
      }
      db.close();
      return out.join('\n');
    }

    /** A call from a number nobody knows (presenting the number as its name), answered, hung up and recorded. */
    async function recordUnknownCaller(role: PhoneRole): Promise<{ namespace: string; customerId: string }> {
      const namespace = `calls-${role}-${crypto.randomUUID()}`;
      namespaces.push(namespace);
      await start({ role, storageNamespace: namespace });
      const callId = phone.simulateInbound({ number: UNKNOWN, displayName: UNKNOWN });
      await waitFor(() => entry(callId)?.caller?.status === 'unknown', 'the caller to be unknown');
      store.dispatch(calls.answerRequested({ callId }));
      await waitFor(() => entry(callId)?.info.state === 'active', 'the call');
      store.dispatch(calls.hangupRequested({ callId }));
      await waitFor(() => store.getState().calls.wrapUps.length === 1, 'the wrap-up');
      store.dispatch(calls.wrapUpSubmitted({ callId, disposition: 'resolved', notes: '', requestKey: `wrap-${role}` }));
      await waitFor(() => seen.find(calls.callRecordSaved.match), 'the call record');
      // The new customer (named by the number) and their phone conversation reach the cache on its next write.
      const saved = seen.find(calls.callRecordSaved.match);
      const customerId = saved?.payload.customerId ?? '';
      expect(customerId).to.not.equal('');
      await until(async () => (await databaseText(namespace)).includes(customerId), 'the new customer in the cache', 6000);
      return { namespace, customerId };
    }

    it('masks an inbound caller for a role without view-pii, and keeps what the agent dialled as typed', () => {
      const inbound = { id: 'c1', direction: 'inbound', remoteNumber: UNKNOWN, remoteDisplayName: `Caller ${UNKNOWN.replace(/\s/g, '')}`, state: 'ringing', createdAt: 0, answeredAt: null, endedAt: null, muted: false, endReason: null, consultFor: null } as const;
      expect(presentCall(inbound, false)).to.deep.include({ remoteNumber: UNKNOWN_MASKED, remoteDisplayName: 'Caller +493****4567' });
      expect(presentCall(inbound, true)).to.equal(inbound);
      const outbound = { ...inbound, direction: 'outbound' } as const;
      expect(presentCall(outbound, false)).to.equal(outbound);
    });

    it('shows the calls and wrap-ups masked, looks the caller up and records the call with the clear number, and caches no clear number', async () => {
      const { namespace, customerId } = await recordUnknownCaller('masked');
      // The backend got the clear number: it filed the record under a customer it finds by that number.
      const [filed] = await connector.findCustomers({ kind: 'phone', value: UNKNOWN });
      expect(filed?.id).to.equal(customerId);
      const cached = await databaseText(namespace);
      for (const clear of clearForms) expect(cached, `the cache holds ${clear}`).to.not.include(clear);
      expect(cached).to.include(UNKNOWN_MASKED);
      // The customer the backend created for the number comes masked too (the name was the number).
      expect(store.getState().customers.entities.get(customerId)?.name).to.equal(UNKNOWN_MASKED);
    });

    it('finds the clear number in the cache of a role that may view PII (the scan can fail)', async () => {
      const { namespace } = await recordUnknownCaller('full');
      expect(await databaseText(namespace)).to.include(UNKNOWN);
    });

    it('selects the ringing call and its wrap-up masked for a role without view-pii', async () => {
      await start({ role: 'masked' });
      const callId = phone.simulateInbound({ number: UNKNOWN });
      expect(selectShownCallEntries(store.getState()).map((shown) => shown.info.remoteNumber)).to.deep.equal([UNKNOWN_MASKED]);
      store.dispatch(calls.answerRequested({ callId }));
      await waitFor(() => entry(callId)?.info.state === 'active', 'the call');
      phone.simulateRemoteHangup(callId);
      await waitFor(() => store.getState().calls.wrapUps.length === 1, 'the wrap-up');
      expect(selectShownWrapUps(store.getState()).map((wrapUp) => wrapUp.call.remoteNumber)).to.deep.equal([UNKNOWN_MASKED]);
    });

    it('starts no phone for a role without use-phone', async () => {
      let created = 0;
      const given = new DemoTelephony({ registerDelayMs: 5 });
      connector = new MemoryConnector({ seed: phoneSeedWithRoles, role: 'no-phone', traffic: false });
      store = createDeskStore({ connector, telephony: { create: () => ((created += 1), Promise.resolve(given)) } });
      store.dispatch(actions.workspaceStarted());
      await waitFor(() => store.getState().calls.availability === 'none', 'the desk to know it has no phone');
      expect(created).to.equal(0);
      expect(given.registrationState).to.equal('unregistered');
    });
  });
});

// The desk's phone against a real Kamailio, worked through the UI as an agent would: a <cc-workspace> on a
// MemoryConnector with only `telephonyConfig` (so it loads SipTelephony, and sip.js, on demand), a bare sip.js peer
// as the customer. Inbound: rings with the matched customer, screen pop, answered by keyboard, audio both ways, hold
// and resume from the buttons (media direction on both ends), keypad tones reach the peer, the peer hangs up, the
// wrap-up is saved and shows in the customer's timeline. Outbound: dialled from the dial pad, hung up by the agent.
//
// sip.js must not be in this page before the phone is needed: the desk comes from the package's entry points (as a
// host imports it), and the peers (./peer.js) and the account helper (./softphone.js), which import sip.js, are
// imported only after the first test checked that.
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { Invitation, Inviter } from 'sip.js';
import { phoneSeed } from '../fixtures/phone-seed.js';
import { mount, settle } from '../helpers/desk.js';
import { nextEvent, waitFor } from '../helpers/events.js';
// The desk as a host gets it: the package's main entry and the tag registrations.
import {
  MemoryConnector,
  type CcCallEndedEvent,
  type CcCallStartedEvent,
  type CcScreenPopEvent,
  type CcSoftphone,
  type CcWorkspace,
  type Seed,
} from '../../src/index.js';
import '../../src/define.js';
import type { Peer } from './peer.js';

// Every module the page fetches is a resource entry; the dev server serves hundreds of them, more than the default
// buffer of 250 keeps.
performance.setResourceTimingBufferSize(100_000);

/**
 * URLs of the scripts this page fetched that belong to sip.js or to the SIP adapter. The loader
 * (load-sip-telephony.ts, a few lines the main entry exports) may be there: it imports the adapter dynamically.
 */
function sipModulesLoaded(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((url) => /\/node_modules\/sip\.js\/|\/src\/telephony\/sip\//u.test(url));
}

// The customer on the line: a number only this run uses (the SIP user of the peer), and an open phone conversation
// without a subject, so its timeline entry shows the latest call record's notes.
const CUSTOMER_NUMBER = `44207946${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
const CUSTOMER_DISPLAY_NUMBER = `+44 20 7946 ${CUSTOMER_NUMBER.slice(-4)}`;
/** What the agent types to call it back: the same digits, grouped, without the plus (the peer registered without it). */
const CUSTOMER_DIALLED = `4420 7946 ${CUSTOMER_NUMBER.slice(-4)}`;
const SAVED = 'Call record saved to the customer’s history.';
const deskSeed: Seed = {
  ...phoneSeed,
  customers: [
    ...(phoneSeed.customers ?? []),
    { id: 'cust-grace', name: 'Grace Hopper', vipLevel: 1, identities: [{ kind: 'phone', value: CUSTOMER_DISPLAY_NUMBER }] },
  ],
  conversations: [
    ...(phoneSeed.conversations ?? []),
    { id: 'conv-grace-phone', channel: 'phone', customerId: 'cust-grace', status: 'open', assigneeId: 'agent-1', lastMessageAt: '-3h' },
  ],
  messages: [
    ...(phoneSeed.messages ?? []),
    { conversationId: 'conv-grace-phone', direction: 'inbound', authorName: 'Grace Hopper', text: 'Please call me back about the invoice.', sentAt: '-3h' },
  ],
};

/** The RTCPeerConnections the page creates, in order: the desk's and the peers' (they share the page). */
const peerConnections: RTCPeerConnection[] = [];
const NativePeerConnection = window.RTCPeerConnection;

function recordPeerConnections(): void {
  window.RTCPeerConnection = class RecordedPeerConnection extends NativePeerConnection {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      peerConnections.push(this);
    }
  };
}

/** Adds a desk to the page at a width where the customer panel shows beside the thread. */
async function mountDesk(configure: (desk: CcWorkspace) => void): Promise<CcWorkspace> {
  const desk = document.createElement('cc-workspace');
  desk.storage = 'none';
  desk.connector = new MemoryConnector({ seed: deskSeed, traffic: false, deliveryDelayMs: 20 });
  configure(desk);
  await mount(desk, 1200, 900);
  await waitFor(() => desk.shadowRoot?.querySelector('cc-conversation-list'), 'the desk to start');
  return desk;
}

describe('the desk without a phone', () => {
  let desk: CcWorkspace | undefined;

  afterEach(() => desk?.remove());

  it('never fetches sip.js or the SIP adapter', async () => {
    const started = await mountDesk(() => undefined);
    desk = started;
    await waitFor(() => started.shadowRoot?.querySelector('cc-conversation-list')?.shadowRoot?.textContent?.includes('Ada Lovelace'), 'the inbox to show the seed');
    await settle(started);
    // Proof that the entries are recorded at all: the desk's own modules are there.
    const urls = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(urls.some((url) => url.includes('/src/components/workspace/workspace.component'))).to.equal(true);
    expect(urls.some((url) => url.includes('/src/components/softphone/'))).to.equal(true);
    expect(started.shadowRoot?.querySelector('[part="phone"]')).to.equal(null);
    expect(sipModulesLoaded()).to.deep.equal([]);
  });
});

describe('the desk with a SIP phone (Kamailio)', function () {
  this.timeout(60_000);
  let desk: CcWorkspace;
  let softphone: CcSoftphone;
  let customer: Peer;
  let agentUser: string;
  let peerModule: typeof import('./peer.js');

  before(async () => {
    expect(sipModulesLoaded(), 'sip.js before the phone was needed').to.deep.equal([]);
    recordPeerConnections();
    peerModule = await import('./peer.js');
    const { telephonyConfig } = await import('./softphone.js');
    agentUser = peerModule.uniqueUser('agent');
    // The customer offers no telephone-event, so the desk's keypad tones go out as SIP INFO, which the peer sees.
    customer = new peerModule.Peer({ user: CUSTOMER_NUMBER, displayName: 'G. Hopper', telephoneEvent: false });
    await customer.start();
    desk = await mountDesk((element) => {
      element.telephonyConfig = telephonyConfig({ user: agentUser });
    });
    softphone = await waitFor(() => desk.shadowRoot?.querySelector<CcSoftphone>('[part="phone"] cc-softphone'), 'the phone area');
  });

  after(async () => {
    desk?.remove();
    await customer?.stop();
    window.RTCPeerConnection = NativePeerConnection;
  });

  const root = () => softphone.shadowRoot as ShadowRoot;
  const text = (element: Element | null | undefined): string => (element?.textContent ?? '').replace(/\s+/gu, ' ').trim();
  /** Waits for an element of the phone, then for the phone to finish rendering. */
  async function shown<E extends Element = HTMLElement>(selector: string, what: string, timeoutMs = 10_000): Promise<E> {
    const found = await waitFor(() => root().querySelector<E>(selector), what, timeoutMs);
    await settle(softphone);
    return found;
  }
  const customerPanel = () => desk.shadowRoot?.querySelector('cc-customer-panel')?.shadowRoot ?? null;
  /** The desk's side of the call whose other side is `customerSide`: the newest open connection that is not it. */
  function agentPeerConnection(customerSide: RTCPeerConnection): RTCPeerConnection {
    const found = [...peerConnections].reverse().find((connection) => connection !== customerSide && connection.connectionState !== 'closed');
    if (!found) throw new Error('the desk has no peer connection');
    return found;
  }
  const direction = (connection: RTCPeerConnection) => connection.getTransceivers()[0]?.currentDirection;
  /** Picks a disposition with the arrow keys, as an agent on the keyboard does. */
  async function chooseOutcome(wrapUp: HTMLFormElement, code: string): Promise<void> {
    const select = wrapUp.querySelector<HTMLSelectElement>('select');
    if (!select) throw new Error('the wrap-up has no disposition field');
    select.focus();
    for (let presses = 0; select.value !== code && presses < select.options.length; presses += 1) await sendKeys({ press: 'ArrowDown' });
    expect(select.value).to.equal(code);
  }

  it('registers, having fetched sip.js only now', async () => {
    await waitFor(() => root().querySelector('.registration[data-state="registered"]'), 'the phone to register', 10_000);
    expect(text(root().querySelector('.registration'))).to.equal('Phone ready');
    const loaded = sipModulesLoaded();
    expect(loaded.some((url) => url.includes('/node_modules/sip.js/'))).to.equal(true);
    expect(loaded.some((url) => url.includes('/src/telephony/sip/sip-telephony'))).to.equal(true);
  });

  it('inbound: rings with the customer, pops the panel, answered by keyboard; audio, hold, keypad, hang-up, wrap-up in the timeline', async () => {
    const { expectAudioBothWays, sipServer, sleep, audioCounters } = peerModule;
    const { SessionState } = await import('sip.js');
    const pop = nextEvent<CcScreenPopEvent>(desk, 'cc-screen-pop', 10_000);
    const inviter: Inviter = await customer.call(`sip:${agentUser}@${sipServer.domain}`);

    // Ringing, with the customer the number belongs to.
    const ringing = await shown('[part="ringing"]', 'the ringing view');
    await waitFor(() => text(ringing.querySelector('.caller-name')) === 'Grace Hopper', 'the matched customer in the ringing view');
    await settle(softphone);
    expect(text(ringing.querySelector('.vip'))).to.equal('VIP 1');
    expect(text(ringing.querySelector('.number'))).to.equal(CUSTOMER_NUMBER);
    expect(text(root().querySelector('[aria-live="assertive"]'))).to.contain('Incoming call from Grace Hopper');

    // The screen pop: the host hears of it and the customer panel shows the caller.
    expect((await pop).detail).to.deep.equal({ customerId: 'cust-grace', conversationId: 'conv-grace-phone', source: 'call' });
    const panel = desk.shadowRoot?.querySelector<HTMLElement>('#panel-customer');
    await waitFor(() => panel && !panel.hidden && text(customerPanel()?.querySelector('[part="name"]')) === 'Grace Hopper', 'the customer panel');

    // Answered with the keyboard shortcut; the call is up on both ends and audio flows both ways.
    const started = nextEvent<CcCallStartedEvent>(softphone, 'cc-call-started', 10_000);
    await sendKeys({ press: 'Alt+Shift+KeyA' });
    const call = await shown<HTMLElement>('[part="call"][data-state="active"]', 'the call in progress');
    const callId = call.dataset.callId ?? '';
    expect((await started).detail).to.include({ callId, direction: 'inbound', remoteNumber: CUSTOMER_NUMBER, customerId: 'cust-grace' });
    expect(root().querySelector('[part="ringing"]')).to.equal(null);
    await customer.waitState(inviter, SessionState.Established);
    const customerConnection = customer.peerConnection(inviter);
    const agentConnection = agentPeerConnection(customerConnection);
    const [agentCounts, customerCounts] = await expectAudioBothWays(agentConnection, customerConnection);
    expect(agentCounts.packetsReceived).to.be.greaterThan(10);
    expect(customerCounts.packetsReceived).to.be.greaterThan(10);

    // The keypad: typed tones go to the customer as SIP INFO (its offer had no telephone-event). Before the hold: the
    // peer helper strips telephone-event from its first offer/answer only, not from its answers to re-INVITEs.
    expect(agentConnection.remoteDescription?.sdp).not.to.match(/telephone-event/u);
    root().querySelector<HTMLButtonElement>('[part="call"] .keypad-toggle')?.click();
    const firstKey = await shown<HTMLButtonElement>('.keypad .key', 'the keypad');
    firstKey.focus();
    await sendKeys({ type: '42#' });
    await waitFor(() => customer.infoTones.join('') === '42#', 'the customer to receive 4, 2, #');
    await settle(softphone);
    expect(text(root().querySelector('.keypad [role="status"]'))).to.equal('Sent: 42#');

    // Hold and resume from the buttons: the media direction changes on both ends, and audio flows again after.
    root().querySelector<HTMLButtonElement>('[part="call"] .hold')?.click();
    await shown('[part="call"][data-state="held"] .resume', 'the held call');
    expect(text(root().querySelector('[part="call"] .call-state'))).to.equal('On hold');
    await waitFor(() => direction(customerConnection) === 'recvonly', 'the customer to see the hold');
    expect(direction(agentConnection)).to.equal('sendonly');
    root().querySelector<HTMLButtonElement>('[part="call"] .resume')?.click();
    await shown('[part="call"][data-state="active"] .hold', 'the resumed call');
    await waitFor(() => direction(customerConnection) === 'sendrecv', 'the customer to see the resume');
    expect(direction(agentConnection)).to.equal('sendrecv');
    const beforeResume = await audioCounters(customerConnection);
    await sleep(600);
    expect((await audioCounters(customerConnection)).packetsReceived).to.be.greaterThan(beforeResume.packetsReceived);

    // The customer hangs up: the call ends here and the wrap-up opens.
    const ended = nextEvent<CcCallEndedEvent>(softphone, 'cc-call-ended', 10_000);
    await customer.hangup(inviter);
    const endedDetail = (await ended).detail;
    expect(endedDetail).to.include({ callId, reason: 'hangup-remote', customerId: 'cust-grace' });
    expect(endedDetail.durationSeconds).to.be.at.least(1);
    const wrapUp = await shown<HTMLFormElement>(`[part="wrap-up"][data-call-id="${callId}"]`, 'the wrap-up');
    expect(root().querySelector('[part="call"]')).to.equal(null);
    expect(text(wrapUp.querySelector('h3'))).to.match(/^Wrap-up: Inbound call with Grace Hopper, \d+:\d{2}$/u);

    // The wrap-up, by keyboard: the outcome, the notes, then Save.
    const notes = 'Invoice corrected; the customer agreed to the new due date.';
    await chooseOutcome(wrapUp, 'resolved');
    wrapUp.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    await sendKeys({ type: notes });
    wrapUp.querySelector<HTMLButtonElement>('.save-wrap-up')?.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => text(root().querySelector('.saved')) === SAVED, 'the saved confirmation');
    expect(root().querySelector('[part="wrap-up"]')).to.equal(null);

    // The record is in the customer's timeline in the panel, as the newest entry, and in the backend.
    const entry = await waitFor(
      () => customerPanel()?.querySelector('[part="timeline"] li[data-entry-id="conv-grace-phone"]'),
      'the phone conversation in the timeline',
    );
    await waitFor(() => text(entry.querySelector('.entry-title')) === notes, 'the call record notes in the timeline');
    expect(customerPanel()?.querySelector('[part="timeline"] li')?.getAttribute('data-entry-id')).to.equal('conv-grace-phone');
    expect(entry.getAttribute('data-kind')).to.equal('call');
    const thread = await (desk.connector as MemoryConnector).listMessages('conv-grace-phone', { limit: 10 });
    const record = thread.items.find((message) => message.call !== null);
    expect(record?.text).to.equal(notes);
    expect(record?.call).to.include({ disposition: 'resolved', direction: 'inbound' });
    expect(record?.call?.durationSeconds).to.equal(endedDetail.durationSeconds);
  });

  it('outbound: dialled from the dial pad, audio both ways, the agent hangs up and the customer gets the BYE', async () => {
    const { expectAudioBothWays } = peerModule;
    const { SessionState } = await import('sip.js');
    root().querySelector<HTMLButtonElement>('.new-call')?.click();
    const field = await shown<HTMLInputElement>('#dial-number', 'the dial pad');
    expect(root().activeElement).to.equal(field);
    await sendKeys({ type: CUSTOMER_DIALLED });
    await sendKeys({ press: 'Enter' });
    await shown('[part="call"][data-state="dialing"]', 'the call being placed');
    expect(text(root().querySelector('[part="call"] .call-state'))).to.equal('Calling…');

    const invitation: Invitation = await customer.nextInvitation();
    // Kamailio rewrote the request URI to the registered contact; the To header keeps the number dialled.
    expect(invitation.request.to.uri.user).to.equal(CUSTOMER_NUMBER);
    await customer.answer(invitation);
    const call = await shown<HTMLElement>('[part="call"][data-state="active"]', 'the answered call');
    const customerConnection = customer.peerConnection(invitation);
    await expectAudioBothWays(agentPeerConnection(customerConnection), customerConnection);

    const ended = nextEvent<CcCallEndedEvent>(softphone, 'cc-call-ended', 10_000);
    call.querySelector<HTMLButtonElement>('.hangup')?.click();
    await customer.waitState(invitation, SessionState.Terminated);
    expect((await ended).detail).to.include({ callId: call.dataset.callId, direction: 'outbound', reason: 'hangup-local' });

    const wrapUp = await shown<HTMLFormElement>('[part="wrap-up"]', 'the wrap-up of the outbound call');
    expect(text(wrapUp.querySelector('h3'))).to.match(/^Wrap-up: Outbound call with /u);
    await chooseOutcome(wrapUp, 'callback');
    wrapUp.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    await sendKeys({ type: 'Called back: the corrected invoice arrived.' });
    wrapUp.querySelector<HTMLButtonElement>('.save-wrap-up')?.click();
    await waitFor(() => text(root().querySelector('.saved')) === SAVED, 'the saved confirmation');
    // The number belongs to the customer, so the record goes to their open phone conversation.
    const entry = await waitFor(
      () => customerPanel()?.querySelector('[part="timeline"] li[data-entry-id="conv-grace-phone"]'),
      'the phone conversation in the timeline',
    );
    await waitFor(() => text(entry.querySelector('.entry-title')) === 'Called back: the corrected invoice arrived.', 'the outbound record in the timeline');
  });
});

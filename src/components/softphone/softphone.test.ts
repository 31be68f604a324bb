import { expect } from '@esm-bundle/chai';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { expectAccessible } from '../../../test/helpers/axe.js';
import { mount, settle } from '../../../test/helpers/desk.js';
import { nextEvent, waitFor } from '../../../test/helpers/events.js';
import { ADA_PHONE, phoneSeed, phoneSeedWithRoles, type PhoneRole } from '../../../test/fixtures/phone-seed.js';
import { MemoryConnector } from '../../connector/memory/index.js';
import type { CcCallEndedEvent } from '../../events/call-ended.js';
import type { CcCallQualityEvent } from '../../events/call-quality.js';
import type { CcCallStartedEvent } from '../../events/call-started.js';
import type { CcCallTransferEvent } from '../../events/call-transfer.js';
import type { CcScreenPopEvent } from '../../events/screen-pop.js';
import * as actions from '../../store/actions.js';
import * as callActions from '../../store/actions-calls.js';
import { createDeskStore, type DeskStore } from '../../store/create-store.js';
import { DemoTelephony } from '../../telephony/demo/demo-telephony.js';
import { Ringer, type RingerAudio, type RingerState } from '../../telephony/ringer.js';
import '../workspace/workspace.js';
import type { CcWorkspace } from '../workspace/workspace.js';
import { CcSoftphone } from './softphone.js';

/** A ringer that records where it was asked to ring, and plays nothing. */
class RecordingRinger extends Ringer {
  readonly starts: (string | null)[] = [];
  override async start(sinkId: string | null): Promise<RingerState> {
    this.starts.push(sinkId);
    return this.setState('ringing');
  }
  override stop(): void {
    this.setState('silent');
  }
}

/** An audio element the browser refuses to play (the autoplay policy), with a working `setSinkId`. */
function blockedAudio(): RingerAudio {
  return {
    srcObject: null,
    play: () => Promise.reject(new DOMException('play() failed because the user did not interact with the document first.', 'NotAllowedError')),
    pause: () => undefined,
    setSinkId: () => Promise.resolve(),
  };
}

describe('cc-softphone', () => {
  let store: DeskStore;
  let connector: MemoryConnector;
  let phone: DemoTelephony;
  let element: CcSoftphone;
  let ringer: RecordingRinger;

  afterEach(() => {
    element?.remove();
    store?.destroy();
  });

  async function render(options: { ringer?: Ringer; width?: number; role?: PhoneRole } = {}): Promise<void> {
    const seed = options.role ? phoneSeedWithRoles : phoneSeed;
    connector = new MemoryConnector({ seed, ...(options.role ? { role: options.role } : {}), traffic: false, deliveryDelayMs: 20 });
    phone = new DemoTelephony({ registerDelayMs: 5, answerDelayMs: 60, qualityIntervalMs: 50, recoveryDelayMs: 100 });
    store = createDeskStore({ connector, telephony: () => Promise.resolve(phone) });
    store.dispatch(actions.workspaceStarted());
    await waitFor(() => store.getState().calls.registration === 'registered', 'the phone to register');
    element = new CcSoftphone();
    ringer = new RecordingRinger();
    element.ringer = options.ringer ?? ringer;
    element.store = store;
    await mount(element, options.width ?? 420, 700);
    await settle(element);
  }

  const root = () => element.shadowRoot as ShadowRoot;
  const $ = <E extends Element = HTMLElement>(selector: string): E => {
    const found = root().querySelector<E>(selector);
    if (!found) throw new Error(`${selector} is not rendered`);
    return found;
  };
  const text = (selector: string): string => ($(selector).textContent ?? '').replace(/\s+/g, ' ').trim();
  const shown = async (selector: string, what: string): Promise<HTMLElement> => {
    const found = await waitFor(() => root().querySelector<HTMLElement>(selector), what);
    await settle(element);
    return found;
  };
  const callState = (callId: string) => phone.currentCalls.find((call) => call.id === callId)?.state ?? 'ended';

  async function answeredInbound(): Promise<string> {
    const callId = phone.simulateInbound({ number: ADA_PHONE });
    await shown('.answer', 'the ringing view');
    $<HTMLButtonElement>('.answer').click();
    await shown(`[part="call"][data-call-id="${callId}"][data-state="active"]`, 'the call in progress');
    return callId;
  }

  it('shows the registration, refuses a malformed number inline, and places a call from the keyboard', async () => {
    await render();
    expect(text('.registration')).to.equal('Phone ready');
    await expectAccessible(element);
    $<HTMLInputElement>('#dial-number').focus();
    await sendKeys({ type: '12ab' });
    await sendKeys({ press: 'Enter' });
    await settle(element);
    expect($('#dial-number').getAttribute('aria-invalid')).to.equal('true');
    expect(text('#dial-problem')).to.equal('Use only digits, +, * and # (spaces and dashes are fine), or a SIP address.');
    expect(phone.currentCalls).to.have.length(0);

    $<HTMLInputElement>('#dial-number').select();
    await sendKeys({ type: '+1 (555) 010-0200' });
    const started = nextEvent<CcCallStartedEvent>(element, 'cc-call-started', 5000);
    await sendKeys({ press: 'Enter' });
    await shown('[part="call"][data-state="dialing"]', 'the call being placed');
    expect(phone.currentCalls[0]?.remoteNumber).to.equal('+15550100200');
    expect(text('[part="call"] .call-state')).to.equal('Calling…');
    await expectAccessible(element);
    expect((await started).detail).to.include({ direction: 'outbound', remoteNumber: '+15550100200' });
    await shown('[part="call"][data-state="active"]', 'the answered call');
  });

  it('rings with the caller’s customer, announces the call, and answers with the keyboard', async () => {
    await render();
    const callId = phone.simulateInbound({ number: ADA_PHONE, displayName: 'ADA' });
    await waitFor(() => root().querySelector('[part="ringing"] .vip'), 'the matched customer');
    await settle(element);
    expect(text('[part="ringing"] .caller-name')).to.equal('Ada Lovelace');
    expect(text('[part="ringing"] .vip')).to.equal('VIP 2');
    expect(text('[aria-live="assertive"]')).to.equal(`Incoming call from Ada Lovelace, ${ADA_PHONE}. Answer with Alt+Shift+A, decline with Alt+Shift+D.`);
    expect(ringer.state).to.equal('ringing');
    await expectAccessible(element);

    const started = nextEvent<CcCallStartedEvent>(element, 'cc-call-started');
    await sendKeys({ press: 'Alt+Shift+KeyA' });
    expect((await started).detail).to.include({ callId, direction: 'inbound', customerId: 'cust-ada' });
    await shown(`[part="call"][data-call-id="${callId}"][data-state="active"]`, 'the call in progress');
    expect(ringer.state).to.equal('silent');
    expect(root().querySelector('[part="ringing"]')).to.equal(null);
  });

  it('holds, resumes, sends tones and hangs up from the keyboard; the wrap-up lands in the customer’s history', async () => {
    await render();
    const callId = await answeredInbound();
    await sendKeys({ press: 'Alt+Shift+KeyH' });
    await waitFor(() => callState(callId) === 'held', 'the call to be held');
    await shown('[part="call"][data-state="held"] .resume', 'the held call');
    expect(text('[part="call"] .call-state')).to.equal('On hold');
    await expectAccessible(element);
    $<HTMLButtonElement>('.resume').focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => callState(callId) === 'active', 'the call to be resumed');
    await shown('.keypad-toggle', 'the keypad button');

    $<HTMLButtonElement>('.keypad-toggle').focus();
    await sendKeys({ press: 'Enter' });
    await shown('.keypad', 'the keypad');
    ($('.keypad .key') as HTMLButtonElement).focus();
    await sendKeys({ type: '42#' });
    await waitFor(() => phone.dtmfSent(callId) === '42#', 'the tones to be sent');
    await settle(element);
    expect(text('.keypad [role="status"]')).to.equal('Sent: 42#');

    const ended = nextEvent<CcCallEndedEvent>(element, 'cc-call-ended');
    await sendKeys({ press: 'Alt+Shift+KeyE' });
    const detail = (await ended).detail;
    expect(detail).to.include({ callId, reason: 'hangup-local', customerId: 'cust-ada' });
    expect(detail.durationSeconds).to.be.a('number').and.to.be.at.least(0);
    await shown('[part="wrap-up"]', 'the wrap-up');
    expect(text('[part="wrap-up"] h3')).to.match(/^Wrap-up: Inbound call with Ada Lovelace, 0:0\d$/);
    await expectAccessible(element);

    $<HTMLButtonElement>('.save-wrap-up').click();
    await settle(element);
    expect($('select[id^="disposition-"]').getAttribute('aria-invalid')).to.equal('true');
    expect(text('[part="wrap-up"] .problem')).to.equal('Choose an outcome before saving.');
    const select = $<HTMLSelectElement>('select[id^="disposition-"]');
    select.value = 'resolved';
    select.dispatchEvent(new Event('change'));
    $<HTMLTextAreaElement>('textarea').focus();
    await sendKeys({ type: 'Found order #1042; refund sent.' });
    $<HTMLButtonElement>('.save-wrap-up').click();
    await waitFor(() => root().querySelector('.saved')?.textContent?.includes('Call record saved'), 'the saved confirmation');
    const thread = await connector.listMessages('conv-phone', { limit: 10 });
    const record = thread.items.find((message) => message.call !== null);
    expect(record?.text).to.equal('Found order #1042; refund sent.');
    expect(record?.call?.disposition).to.equal('resolved');
  });

  it('holds the first call when a second is answered, and switches between them', async () => {
    await render();
    const first = await answeredInbound();
    const second = phone.simulateInbound({ number: '+49 30 1234567' });
    await shown('.answer', 'the second call ringing');
    expect(text('[part="ringing"] .caller-name')).to.equal('+49 30 1234567');
    $<HTMLButtonElement>('.answer').click();
    await waitFor(() => callState(second) === 'active' && callState(first) === 'held', 'the first call on hold');
    await shown(`[data-call-id="${first}"] .resume`, 'the switch button');
    expect(text(`[data-call-id="${first}"] .resume`)).to.equal('Switch to this call');
    expect(root().querySelectorAll('[part="call"]')).to.have.length(2);
    await expectAccessible(element);
    $<HTMLButtonElement>(`[data-call-id="${first}"] .resume`).click();
    await waitFor(() => callState(first) === 'active' && callState(second) === 'held', 'the switch');
  });

  it('lets the host veto a blind transfer, then transfers', async () => {
    await render();
    const callId = await answeredInbound();
    $<HTMLButtonElement>('.transfer-toggle').click();
    await shown('#transfer-target', 'the transfer form');
    await waitFor(() => root().activeElement?.id === 'transfer-target', 'focus in the transfer field');
    await sendKeys({ type: '2001' });
    const veto = (event: CcCallTransferEvent): void => event.preventDefault();
    element.addEventListener('cc-call-transfer', veto, { once: true });
    const intent = nextEvent<CcCallTransferEvent>(element, 'cc-call-transfer');
    await sendKeys({ press: 'Enter' });
    expect((await intent).detail).to.deep.equal({ callId, target: '2001', kind: 'blind' });
    await settle(element);
    expect(text('#transfer-problem')).to.equal('The transfer was stopped by the application.');
    expect(callState(callId)).to.equal('active');
    await expectAccessible(element);

    $<HTMLButtonElement>('.transfer-now').click();
    await waitFor(() => callState(callId) === 'ended', 'the transfer');
    await shown('[part="wrap-up"]', 'the wrap-up of the transferred call');
  });

  it('consults before transferring, and can cancel or complete the transfer', async () => {
    await render();
    const callId = await answeredInbound();
    $<HTMLButtonElement>('.transfer-toggle').click();
    await shown('#transfer-target', 'the transfer form');
    $<HTMLInputElement>('#transfer-target').focus();
    await sendKeys({ type: 'sip:supervisor@example.com' });
    $<HTMLButtonElement>('.consult').click();
    await waitFor(() => phone.currentCalls.find((call) => call.consultFor === callId)?.state === 'active', 'the consulted party to answer');
    await shown('.complete-transfer:not([disabled])', 'the consultation');
    expect(text('.consult-panel [role="status"]')).to.equal('Consulting sip:supervisor@example.com');
    await expectAccessible(element);
    $<HTMLButtonElement>('.cancel-transfer').click();
    await waitFor(() => callState(callId) === 'active' && phone.currentCalls.length === 1, 'the original call back');

    await settle(element);
    $<HTMLButtonElement>('.transfer-toggle').click();
    await shown('#transfer-target', 'the transfer form again');
    $<HTMLInputElement>('#transfer-target').focus();
    await sendKeys({ type: '2002' });
    $<HTMLButtonElement>('.consult').click();
    await shown('.complete-transfer:not([disabled])', 'the second consultation');
    $<HTMLButtonElement>('.complete-transfer').click();
    await waitFor(() => phone.currentCalls.length === 0, 'both calls to end');
  });

  it('shows live call quality and reports it to the host', async () => {
    await render();
    await answeredInbound();
    const sample = await nextEvent<CcCallQualityEvent>(element, 'cc-call-quality');
    expect(sample.detail.mos).to.be.within(1, 4.5);
    await shown('[part="quality"] [data-metric="jitter"]', 'the quality figures');
    expect(text('[part="quality"] .rating')).to.match(/^Call quality (Good|Fair|Poor): MOS \d(\.\d)?$/);
    expect(text('[part="quality"] [data-metric="rtt"] dd')).to.match(/^\d+ ms$/);
    expect($('[part="quality"]').getAttribute('role')).to.equal('group');
  });

  it('picks devices, rings on the ringer device, and falls back when a device is unplugged', async () => {
    await render();
    $<HTMLButtonElement>('.devices-toggle').click();
    await shown('[part="devices"]', 'the device pickers');
    await expectAccessible(element);
    const speaker = $<HTMLSelectElement>('[data-role="speaker"] select');
    speaker.value = 'headset-speaker';
    speaker.dispatchEvent(new Event('change'));
    const ringerPicker = $<HTMLSelectElement>('[data-role="ringer"] select');
    ringerPicker.value = 'default-speaker';
    ringerPicker.dispatchEvent(new Event('change'));
    await waitFor(() => store.getState().calls.selection.ringerId === 'default-speaker', 'the ringer choice');
    phone.simulateInbound({ number: ADA_PHONE });
    await waitFor(() => ringer.starts.length > 0, 'the ringtone');
    expect(ringer.starts).to.deep.equal(['default-speaker']);

    phone.simulateDeviceRemoved('headset-speaker');
    await shown('.fallback', 'the fallback notice');
    expect(text('.fallback span')).to.equal('The speaker “USB headset” was disconnected; the system default speaker is used now.');
    expect($<HTMLSelectElement>('[data-role="speaker"] select').value).to.equal('');
  });

  it('shows a reconnecting banner while the network is away', async () => {
    await render();
    phone.simulateNetworkLoss();
    await shown('.banner.reconnecting', 'the reconnecting banner');
    expect(text('.registration')).to.equal('Phone reconnecting…');
    await waitFor(() => !root().querySelector('.banner'), 'the banner to go');
  });

  it('shows a visible alert when the browser blocks the ringtone (suspended audio context)', async () => {
    // What Chromium does to a page without a user gesture: the context stays suspended and resume() never settles.
    const suspended = (): AudioContext => {
      const context = new AudioContext();
      Object.defineProperty(context, 'state', { value: 'suspended' });
      context.resume = () => new Promise<void>(() => undefined);
      return context;
    };
    await render({ ringer: new Ringer({ createContext: suspended, resumeTimeoutMs: 50 }) });
    phone.simulateInbound({ number: ADA_PHONE });
    await shown('[part="alert"]', 'the autoplay alert');
    expect(text('[part="alert"] span')).to.equal('A call is ringing, but the browser blocked the ringtone.');
    expect($('[part="alert"]').getAttribute('role')).to.equal('alert');
    await expectAccessible(element);
  });

  it('shows a visible alert when play() is refused (NotAllowedError)', async () => {
    // A real click gives the page its user activation, so the audio context runs; the audio element still refuses.
    await sendMouse({ type: 'click', position: [1, 1] });
    await render({ ringer: new Ringer({ createAudio: blockedAudio }) });
    phone.simulateInbound({ number: ADA_PHONE });
    await shown('[part="alert"]', 'the autoplay alert');
    expect(text('[part="alert"] .enable-sound')).to.equal('Enable sound');
  });

  it('still hears its ringer after it was taken off the page and put back', async () => {
    // A real click gives the page its user activation, so the audio context runs; the audio element still refuses.
    await sendMouse({ type: 'click', position: [1, 1] });
    await render({ ringer: new Ringer({ createAudio: blockedAudio }) });
    const parent = element.parentElement;
    element.remove();
    parent?.append(element);
    await settle(element);
    phone.simulateInbound({ number: ADA_PHONE });
    await shown('[part="alert"]', 'the autoplay alert after the move');
    expect(text('[part="alert"] .enable-sound')).to.equal('Enable sound');
  });

  it('closes the audio of its own ringer when it leaves the page, and rings again when it is back', async () => {
    const made: AudioContext[] = [];
    const NativeAudioContext = window.AudioContext;
    window.AudioContext = class extends NativeAudioContext {
      constructor(options?: AudioContextOptions) {
        super(options);
        made.push(this);
      }
    };
    try {
      connector = new MemoryConnector({ seed: phoneSeed, traffic: false });
      phone = new DemoTelephony({ registerDelayMs: 5 });
      store = createDeskStore({ connector, telephony: () => Promise.resolve(phone) });
      store.dispatch(actions.workspaceStarted());
      await waitFor(() => store.getState().calls.registration === 'registered', 'the phone to register');
      // The element's own ringer, as in a page that sets none.
      element = new CcSoftphone();
      element.store = store;
      await mount(element, 420, 700);
      const callId = phone.simulateInbound({ number: ADA_PHONE });
      await waitFor(() => made.length === 1, 'the ringtone’s audio context');
      element.remove();
      await waitFor(() => made[0]?.state === 'closed', 'the audio context closed');

      document.body.append(element);
      await settle(element);
      await waitFor(() => made.length === 2, 'a new audio context for the ringing call');
      await waitFor(() => root().querySelector(`[data-call-id="${callId}"]`), 'the ringing call');
    } finally {
      window.AudioContext = NativeAudioContext;
    }
  });

  describe('least privilege', () => {
    const UNKNOWN = '+49 30 1234567';
    const UNKNOWN_MASKED = '+49 3* ***4567';
    const ADA_MASKED = '+44 20 **** 0001';

    /** Everything the phone puts in its shadow DOM: text, attribute values and form values. */
    const domText = (): string => {
      const out: string[] = [];
      for (const node of [root(), ...root().querySelectorAll('*')]) {
        if (node instanceof Element) for (const attribute of node.attributes) out.push(attribute.value);
        if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) out.push(node.value);
      }
      out.push(root().textContent ?? '');
      return out.join('\n');
    };
    const clearIn = (text: string): string[] => [UNKNOWN, UNKNOWN.replace(/\s/g, ''), '1234567', ADA_PHONE].filter((clear) => text.includes(clear));

    it('masks an inbound caller’s number for a role without view-pii: ringing, announcement, call, events and wrap-up', async () => {
      await render({ role: 'masked' });
      const events: string[] = [];
      const record = (event: Event): void => void events.push(`${event.type} ${JSON.stringify((event as Event & { detail?: unknown }).detail)}`);
      for (const type of ['cc-call-started', 'cc-call-ended', 'cc-call-quality']) element.addEventListener(type, record);

      const callId = phone.simulateInbound({ number: UNKNOWN, displayName: UNKNOWN });
      await waitFor(() => root().querySelector('[part="ringing"] .muted')?.textContent?.includes('Not a known customer'), 'the caller to be unknown');
      await settle(element);
      expect(text('[part="ringing"] .number')).to.equal(UNKNOWN_MASKED);
      expect(text('[part="ringing"] .caller-name')).to.equal(UNKNOWN_MASKED);
      expect(text('[aria-live="assertive"]')).to.equal(`Incoming call from ${UNKNOWN_MASKED}, ${UNKNOWN_MASKED}. Answer with Alt+Shift+A, decline with Alt+Shift+D.`);
      expect(clearIn(domText())).to.deep.equal([]);
      await expectAccessible(element);

      const started = nextEvent<CcCallStartedEvent>(element, 'cc-call-started');
      await sendKeys({ press: 'Alt+Shift+KeyA' });
      expect((await started).detail).to.include({ callId, remoteNumber: UNKNOWN_MASKED });
      await shown(`[part="call"][data-call-id="${callId}"][data-state="active"]`, 'the call in progress');
      expect(text(`[part="call"] .caller-name`)).to.equal(UNKNOWN_MASKED);
      await nextEvent<CcCallQualityEvent>(element, 'cc-call-quality');
      expect(clearIn(domText())).to.deep.equal([]);

      const ended = nextEvent<CcCallEndedEvent>(element, 'cc-call-ended');
      await sendKeys({ press: 'Alt+Shift+KeyE' });
      expect((await ended).detail).to.include({ callId, remoteNumber: UNKNOWN_MASKED });
      await shown('[part="wrap-up"]', 'the wrap-up');
      expect(text('[part="wrap-up"] h3')).to.match(new RegExp(`^Wrap-up: Inbound call with ${UNKNOWN_MASKED.replace(/[+*]/g, '\\$&')}, 0:0\\d$`));
      expect(clearIn(domText())).to.deep.equal([]);
      expect(clearIn(events.join('\n'))).to.deep.equal([]);
      expect(events.filter((event) => event.startsWith('cc-call-started') || event.startsWith('cc-call-ended'))).to.have.length(2);
    });

    it('shows a known caller by the customer’s name with the number masked', async () => {
      await render({ role: 'masked' });
      phone.simulateInbound({ number: ADA_PHONE });
      await waitFor(() => root().querySelector('[part="ringing"] .vip'), 'the matched customer');
      await settle(element);
      expect(text('[part="ringing"] .caller-name')).to.equal('Ada Lovelace');
      expect(text('[part="ringing"] .number')).to.equal(ADA_MASKED);
      expect(clearIn(domText())).to.deep.equal([]);
    });

    it('shows the caller’s number in clear to a role with view-pii', async () => {
      await render({ role: 'full' });
      phone.simulateInbound({ number: UNKNOWN });
      await shown('[part="ringing"] .number', 'the ringing view');
      expect(text('[part="ringing"] .number')).to.equal(UNKNOWN);
    });

    it('without record-calls the wrap-up says why it saves nothing, and closes from the keyboard', async () => {
      await render({ role: 'masked-no-record' });
      const callId = await answeredInbound();
      phone.simulateRemoteHangup(callId);
      await shown('[part="wrap-up"] .close-wrap-up', 'the wrap-up');
      expect(text('[part="wrap-up"] p')).to.equal(
        'Your role does not record calls, so this call is not saved to the customer’s history. You are in after-call work until you close the wrap-up.',
      );
      expect(root().querySelector('.save-wrap-up, [part="wrap-up"] select, [part="wrap-up"] textarea')).to.equal(null);
      await expectAccessible(element);
      $<HTMLButtonElement>('.close-wrap-up').focus();
      await sendKeys({ press: 'Enter' });
      await waitFor(() => !root().querySelector('[part="wrap-up"]'), 'the wrap-up to close');
      expect(store.getState().calls.wrapUps).to.deep.equal([]);
      const thread = await connector.listMessages('conv-phone', { limit: 10 });
      expect(thread.items.filter((message) => message.call !== null)).to.deep.equal([]);
    });

    it('shows nothing for a role without use-phone', async () => {
      connector = new MemoryConnector({ seed: phoneSeedWithRoles, role: 'no-phone', traffic: false });
      phone = new DemoTelephony({ registerDelayMs: 5 });
      store = createDeskStore({ connector, telephony: () => Promise.resolve(phone) });
      store.dispatch(actions.workspaceStarted());
      await waitFor(() => store.getState().calls.availability === 'none', 'the desk to know it has no phone');
      element = new CcSoftphone();
      element.store = store;
      await mount(element, 420, 700);
      await settle(element);
      expect(root().querySelector('[part="base"]')).to.equal(null);
      expect(phone.registrationState).to.equal('unregistered');
    });

    it('speaks Chinese when the role does not record calls', async () => {
      document.documentElement.lang = 'zh-CN';
      try {
        await render({ role: 'masked-no-record' });
        const callId = await answeredInbound();
        phone.simulateRemoteHangup(callId);
        await shown('[part="wrap-up"] .close-wrap-up', 'the wrap-up');
        expect(text('.close-wrap-up')).to.equal('关闭话后处理');
        expect(text('[part="wrap-up"] p')).to.equal('您的角色不能记录通话，本次通话不会保存到客户历史。关闭话后处理之前，您处于话后处理状态。');
      } finally {
        document.documentElement.lang = 'en';
      }
    });
  });

  it('speaks Chinese', async () => {
    document.documentElement.lang = 'zh-CN';
    try {
      await render();
      expect(text('.registration')).to.equal('电话就绪');
      phone.simulateInbound({ number: ADA_PHONE });
      await shown('.answer', 'the ringing view');
      expect(text('.answer')).to.equal('接听');
    } finally {
      document.documentElement.lang = 'en';
    }
  });

  it('says in Chinese why the phone failed, by error code, with the adapter’s own text as a detail', async () => {
    document.documentElement.lang = 'zh-CN';
    try {
      await render();
      // A command the phone refuses (no-such-call): the reason is translated, the adapter's English stays below it.
      store.dispatch(callActions.holdRequested({ callId: 'demo-call-gone' }));
      await shown('.notice.error', 'the failure notice');
      expect(text('.notice.error > span')).to.equal('无法保持通话：该通话已不存在。 详情：There is no call "demo-call-gone".');
      expect(text('.notice.error [part="error-detail"]')).to.equal('详情：There is no call "demo-call-gone".');
      await expectAccessible(element);

      // Registration lost for good (unreachable): the offline banner says why in Chinese.
      phone.simulateNetworkLoss({ recovers: false });
      await shown('.banner.failed', 'the offline banner');
      expect(text('.banner.failed > span:first-child')).to.equal('电话离线：无法连接电话服务器。');
      expect(text('.banner.failed [part="error-detail"]')).to.equal('详情：The phone server cannot be reached.');
      await expectAccessible(element);
    } finally {
      document.documentElement.lang = 'en';
    }
  });
});

describe('cc-workspace with a phone', () => {
  let workspace: CcWorkspace;

  afterEach(() => workspace?.remove());

  for (const width of [360, 1100]) {
    it(`pops the caller's customer panel at ${width} px and tells the host`, async () => {
      const phone = new DemoTelephony({ registerDelayMs: 5 });
      workspace = document.createElement('cc-workspace');
      workspace.storage = 'none';
      workspace.connector = new MemoryConnector({ seed: phoneSeed, traffic: false });
      workspace.telephony = phone;
      await mount(workspace, width, 700);
      const softphone = await waitFor(() => workspace.shadowRoot?.querySelector<CcSoftphone>('[part="phone"] cc-softphone'), 'the phone area');
      softphone.ringer = new RecordingRinger();
      await waitFor(() => phone.registrationState === 'registered', 'the phone to register');
      const pop = nextEvent<CcScreenPopEvent>(workspace, 'cc-screen-pop');
      phone.simulateInbound({ number: ADA_PHONE });
      expect((await pop).detail).to.deep.equal({ customerId: 'cust-ada', conversationId: 'conv-phone', source: 'call' });
      const panel = workspace.shadowRoot?.querySelector<HTMLElement>('#panel-customer');
      await waitFor(() => panel && !panel.hidden && panel.querySelector('cc-customer-panel')?.shadowRoot?.textContent?.includes('Ada Lovelace'), 'the customer panel');
      expect(workspace.shadowRoot?.querySelector('#tab-customer')?.getAttribute('aria-selected')).to.equal('true');
      expect(softphone.shadowRoot?.querySelector('[part="ringing"] .caller-name')?.textContent?.trim()).to.equal('Ada Lovelace');
    });
  }

  it('has no phone area for a role without use-phone', async () => {
    const phone = new DemoTelephony({ registerDelayMs: 5 });
    workspace = document.createElement('cc-workspace');
    workspace.storage = 'none';
    workspace.connector = new MemoryConnector({ seed: phoneSeedWithRoles, role: 'no-phone', traffic: false });
    workspace.telephony = phone;
    await mount(workspace, 1100, 700);
    await waitFor(() => workspace.shadowRoot?.querySelector('cc-conversation-list')?.shadowRoot?.querySelector('[role="option"]'), 'the desk to be live');
    await settle(workspace);
    expect(workspace.shadowRoot?.querySelector('[part="phone"]')).to.equal(null);
    expect(phone.registrationState).to.equal('unregistered');
  });
});

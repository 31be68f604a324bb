// The demo's phone: a DemoTelephony on the desk, and a control on the host page that makes a simulated call come in
// from a customer of the demo seed (or from a number nobody knows). `?phone=0` leaves the desk without a phone.
// `?sip=<ws url>&sipUser=<user>` (optional `&sipPassword=`) gives the desk a real SIP account instead (SipTelephony,
// sip.js loaded on demand; no STUN server), e.g. `?sip=ws://127.0.0.1:5066&sipUser=agent1` against the Kamailio of
// `node test/sip-server/start.mjs`. `sipUser` may also be a whole address, `sip:1001@example.com`; a bare user is
// taken to be at the WebSocket's host.
import { DemoTelephony, type CcWorkspace, type TelephonyConfig } from '../src/index.js';

const text = {
  en: {
    title: 'Phone simulator',
    caller: 'Caller',
    ring: 'Simulate inbound call',
    hangUp: 'Caller hangs up',
    unknown: 'Unknown number',
    sipUserMissing: 'The SIP phone needs ?sipUser= as well as ?sip=, so the desk runs without a phone.',
  },
  'zh-CN': {
    title: '电话模拟器',
    caller: '来电人',
    ring: '模拟来电',
    hangUp: '来电人挂断',
    unknown: '未知号码',
    sipUserMissing: 'SIP 电话除 ?sip= 外还需要 ?sipUser=，因此工作台不带电话运行。',
  },
} as const;

/** Customers of the demo seed (src/connector/memory/demo-seed.ts) with a phone number, and one unknown number. */
const CALLERS: readonly { readonly number: string; readonly name: string | null }[] = [
  { number: '+1 415 555 0101', name: 'Emily Carter' },
  { number: '+86 139 1000 2002', name: '李娜' },
  { number: '+1 415 555 0113', name: 'David Lee' },
  { number: '+86 138 0013 8001', name: '王小明' },
  { number: '+1 202 555 0199', name: null },
];

/** The SIP account of `?sip=&sipUser=&sipPassword=`: the user's address, password auth when a password is given. */
function sipAccount(webSocketUrl: string, user: string, password: string | null): TelephonyConfig {
  const sipUri = /^sips?:/iu.test(user) ? user : `sip:${user}@${new URL(webSocketUrl).hostname}`;
  return {
    webSocketUrl,
    sipUri,
    authorizationUsername: password === null ? null : (/^sips?:([^@]+)@/iu.exec(sipUri)?.[1] ?? user),
    authorizationPassword: password,
    authorizationToken: null,
    // No public STUN server: a demo on loopback or a LAN needs none, and the agent's address stays here.
    iceServers: [],
  };
}

function pageLocale(): keyof typeof text {
  return document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en';
}

export function setUpDemoPhone(desk: CcWorkspace, params: URLSearchParams): void {
  const panel = document.querySelector<HTMLElement>('#phone-simulator');
  if (params.get('phone') === '0') return;
  const sipServer = params.get('sip');
  if (sipServer) {
    const user = params.get('sipUser');
    if (user) {
      desk.telephonyConfig = sipAccount(sipServer, user, params.get('sipPassword'));
    } else {
      const problem = document.querySelector<HTMLElement>('#seed-error');
      if (problem) {
        problem.hidden = false;
        problem.textContent = text[pageLocale()].sipUserMissing;
      }
    }
    // Calls come from the SIP server: the simulator stays hidden.
    return;
  }
  const phone = new DemoTelephony();
  desk.telephony = phone;
  const select = document.querySelector<HTMLSelectElement>('#sim-caller');
  const ring = document.querySelector<HTMLButtonElement>('#sim-call');
  const hangUp = document.querySelector<HTMLButtonElement>('#sim-hangup');
  if (!panel || !select || !ring || !hangUp) return;
  panel.hidden = false;
  let lastCallId: string | null = null;

  const applyLocale = (): void => {
    const locale = pageLocale();
    for (const element of panel.querySelectorAll<HTMLElement>('[data-phone-text]')) {
      element.textContent = text[locale][element.dataset.phoneText as keyof (typeof text)['en']];
    }
    select.replaceChildren(
      ...CALLERS.map((caller, index) => {
        const option = document.createElement('option');
        option.value = String(index);
        option.textContent = `${caller.name ?? text[locale].unknown} · ${caller.number}`;
        return option;
      }),
    );
  };
  applyLocale();
  new MutationObserver(applyLocale).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

  ring.addEventListener('click', () => {
    const caller = CALLERS[Number(select.value)] ?? CALLERS[0];
    if (!caller) return;
    try {
      lastCallId = phone.simulateInbound({ number: caller.number, displayName: caller.name });
    } catch (error) {
      // The phone is not registered yet (the desk is still starting): say so on the page rather than in the console.
      ring.title = error instanceof Error ? error.message : String(error);
    }
  });
  hangUp.addEventListener('click', () => {
    if (lastCallId) phone.simulateRemoteHangup(lastCallId);
  });
}

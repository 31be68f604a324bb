// The demo host page: a CRM that embeds the desk on the built-in MemoryConnector.
// `?seed=<url>` loads the host's own data (see docs/seed-format.md); `?traffic=0` turns the simulator off.
// `?server=<base URL>` runs the desk on the HttpConnector against a server that speaks docs/protocol.md instead,
// e.g. the reference server (`npm run demo:server`): `?server=http://127.0.0.1:8787/api/v1`, with `?token=` if
// the server does not accept the default `demo-token`.
// `?role=agent` or `?role=trainee` signs the MemoryConnector's agent in with another role of the seed (PII masked,
// fewer permissions); the role switch on the page reloads with it. With `?server=`, the token decides the role.
// The phone (demo/phone.ts): the simulator by default, `?phone=0` none, `?sip=<ws url>&sipUser=<user>` (optional
// `&sipPassword=`) a real SIP account (docs/telephony-sip.md, "The demo on a SIP server").
import { HttpConnector, MemoryConnector, type CcWorkspace, type Connector } from '../src/index.js';
import { setUpDemoPhone } from './phone.js';

const pageText = {
  en: {
    'nav.accounts': 'Accounts',
    'nav.orders': 'Orders',
    'nav.reports': 'Reports',
    'locale.label': 'Language',
    'record.breadcrumb': 'Accounts / Retail',
    'record.title': 'Customer service',
    'record.note': 'The contact-center desk on the right is embedded in this CRM page. Pick a conversation to see who the customer is.',
    'record.selected': 'Selected conversation',
    'record.lastSent': 'Last reply sent',
    'record.errors': 'Desk problems reported',
    'seed.failed': 'The seed file could not be loaded, so the desk was not started.',
    'role.label': 'Role',
    'role.supervisor': 'Supervisor',
    'role.agent': 'Agent (PII masked)',
    'role.trainee': 'Trainee (read-only)',
  },
  'zh-CN': {
    'nav.accounts': '客户',
    'nav.orders': '订单',
    'nav.reports': '报表',
    'locale.label': '语言',
    'record.breadcrumb': '客户 / 零售',
    'record.title': '客户服务',
    'record.note': '右侧的联络中心工作台嵌入在此 CRM 页面中。选择一个会话即可查看对应客户。',
    'record.selected': '当前会话',
    'record.lastSent': '最近发送的回复',
    'record.errors': '工作台报告的问题',
    'seed.failed': '无法加载种子数据文件，工作台未启动。',
    'role.label': '角色',
    'role.supervisor': '主管',
    'role.agent': '坐席（隐私信息遮盖）',
    'role.trainee': '实习（只读）',
  },
} as const;
type PageLocale = keyof typeof pageText;

const desk = document.querySelector<CcWorkspace>('#desk');
const localeSelect = document.querySelector<HTMLSelectElement>('#locale');
const params = new URLSearchParams(location.search);

function applyLocale(locale: PageLocale): void {
  document.documentElement.lang = locale;
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = element.dataset.i18n as keyof (typeof pageText)['en'];
    element.textContent = pageText[locale][key];
  }
  if (desk) desk.locale = locale;
  try {
    localStorage.setItem('demo-locale', locale);
  } catch {
    // Storage may be unavailable (private mode); the switch still works for this page.
  }
}

function savedLocale(): PageLocale {
  const fromUrl = params.get('locale');
  let saved: string | null = null;
  try {
    saved = localStorage.getItem('demo-locale');
  } catch {
    saved = null;
  }
  const candidate = fromUrl ?? saved;
  return candidate === 'zh-CN' ? 'zh-CN' : 'en';
}

function showSeedError(message: string): void {
  const box = document.querySelector<HTMLElement>('#seed-error');
  if (!box) return;
  box.hidden = false;
  box.textContent = `${pageText[savedLocale()]['seed.failed']}\n${message}`;
}

async function loadSeed(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}.`);
  return response.text();
}

/** The demo's role switch (MemoryConnector only): choosing a role reloads the page with `?role=`. */
function showRoleSwitch(role: string | null): void {
  const wrapper = document.querySelector<HTMLElement>('#role-switch');
  const select = document.querySelector<HTMLSelectElement>('#role');
  if (!wrapper || !select) return;
  wrapper.hidden = false;
  select.value = role ?? 'supervisor';
  select.addEventListener('change', () => {
    const next = new URL(location.href);
    if (select.value === 'supervisor') next.searchParams.delete('role');
    else next.searchParams.set('role', select.value);
    location.assign(next);
  });
}

async function main(): Promise<void> {
  const locale = savedLocale();
  if (localeSelect) {
    localeSelect.value = locale;
    localeSelect.addEventListener('change', () => applyLocale(localeSelect.value === 'zh-CN' ? 'zh-CN' : 'en'));
  }
  applyLocale(locale);

  const seedUrl = params.get('seed');
  const serverUrl = params.get('server');
  const traffic = params.get('traffic') === '0' ? false : { ratePerMinute: Number(params.get('traffic') ?? 6) };
  let connector: Connector;
  try {
    if (serverUrl) {
      // The host supplies the token; the connector keeps it in memory only.
      const token = params.get('token') ?? 'demo-token';
      connector = new HttpConnector({ baseUrl: serverUrl, getToken: () => Promise.resolve(token) });
    } else {
      const seed = seedUrl ? await loadSeed(seedUrl) : undefined;
      const role = params.get('role');
      connector = new MemoryConnector({ ...(seed === undefined ? {} : { seed }), ...(role ? { role } : {}), traffic });
      // The demo seed's roles; a host's own seed names its own.
      if (!seedUrl) showRoleSwitch(role);
      // Each role keeps its own cache, so one role's cached records never paint for another.
      if (desk && role) desk.storageNamespace = `demo-${role}`;
    }
  } catch (error) {
    showSeedError(error instanceof Error ? error.message : String(error));
    return;
  }

  if (desk) {
    setUpDemoPhone(desk, params);
    desk.connector = connector;
    desk.addEventListener('cc-conversation-select', (event) => {
      const field = document.querySelector('#selected-conversation');
      if (field) field.textContent = event.detail.conversationId;
    });
    desk.addEventListener('cc-message-sent', (event) => {
      const field = document.querySelector('#last-sent');
      if (field) field.textContent = event.detail.message.text;
    });
    desk.addEventListener('cc-error', () => {
      const field = document.querySelector('#error-count');
      if (field) field.textContent = String(Number(field.textContent ?? '0') + 1);
    });
  }
  // Registered only now, so the desk starts on this connector rather than the built-in default.
  await import('../src/define.js');
}

void main();

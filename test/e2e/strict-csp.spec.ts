/**
 * The desk under a strict Content-Security-Policy with Trusted Types (docs/security.md): the demo's strict page
 * (demo/strict.html), built by Vite and served by demo/strict-server.mjs with a fresh style nonce per response.
 *
 * Every violation is collected four ways, and each must stay at 0 while the agent works the whole desk: the
 * `securitypolicyviolation` events of the page and of the email frame, the browser's CSP issues (DevTools
 * Audits, which see every frame), CSP and Trusted Types errors on the console, and the reports the server's
 * report endpoint received. A second run takes adoptedStyleSheets away, so Lit falls back to <style> elements
 * that carry the nonce (`window.litNonce`); and negative controls show that each collector does catch a
 * violation when there is one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CDPSession, Frame, Page } from '@playwright/test';
import { Desk, expect, LABELS, test } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');
const t = LABELS.en;

test.describe.configure({ mode: 'serial' });

// ---------------------------------------------------------------------------------------------------------------
// The strict server, over a fresh build of the demo.

interface StrictServer {
  readonly origin: string;
  readonly pid: number;
  stop(): Promise<void>;
}

let server: StrictServer;
let buildDir: string;

async function startStrictServer(directory: string): Promise<StrictServer> {
  const pidFile = join(directory, 'server.pid');
  const child = spawn(process.execPath, [join(root, 'demo/strict-server.mjs'), '--root', directory, '--port', '0', '--pid-file', pidFile, '--stop-after', '600'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  const origin = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`The strict server did not start: ${output}`)), 20_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(() => reject(new Error(`The strict server exited: ${output}`)));
  });
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return {
    origin,
    pid,
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      await Promise.race([exited, new Promise((resolvePromise) => setTimeout(resolvePromise, 5000))]);
    },
  };
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  buildDir = mkdtempSync(join(tmpdir(), 'cc-strict-csp-'));
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--mode', 'demo', '--outDir', buildDir, '--logLevel', 'error'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  server = await startStrictServer(buildDir);
});

test.afterAll(async () => {
  await server?.stop();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// The data: a chat with a knowledge answer and a ticket to create, and an email with styles and a remote image.

const CHAT = { id: 'conv-chat', customer: 'Ada Lovelace', question: 'The headphones do not fit. Can I return them and get a refund?' };
const MAIL = { id: 'conv-mail', customer: 'Sophie Martin', subject: 'Cracked screen on arrival' };
const REMOTE_IMAGE = 'https://images.kestrel.example/photo.png';

const SEED = {
  version: 1,
  agent: { id: 'agent-1', name: 'Lin Chen' },
  queues: [{ id: 'q-web', name: 'Web' }],
  customers: [
    {
      id: 'c-ada',
      name: CHAT.customer,
      locale: 'en',
      vipLevel: 2,
      tags: ['headphones'],
      notes: 'Prefers email follow-ups.',
      identities: [{ kind: 'webchat', value: 'visitor-ada' }, { kind: 'email', value: 'ada@example.com' }, { kind: 'phone', value: '+44 20 7946 0018' }],
    },
    { id: 'c-sophie', name: MAIL.customer, avatarUrl: 'https://avatars.kestrel.example/sophie.png', identities: [{ kind: 'email', value: 'sophie@example.com' }] },
  ],
  conversations: [
    { id: CHAT.id, channel: 'webchat', customerId: 'c-ada', assigneeId: 'agent-1', queueId: 'q-web' },
    { id: MAIL.id, channel: 'email', customerId: 'c-sophie', assigneeId: 'agent-1', queueId: 'q-web' },
  ],
  messages: [
    { conversationId: CHAT.id, direction: 'inbound', text: CHAT.question, sentAt: '-2m' },
    {
      conversationId: MAIL.id,
      direction: 'inbound',
      text: 'My tablet arrived with a cracked screen.',
      sentAt: '-5m',
      email: {
        subject: MAIL.subject,
        from: 'sophie@example.com',
        to: ['support@example.com'],
        html:
          '<style>.sig{font-weight:700}</style><p style="color:#b00020">My tablet arrived with a cracked screen.</p>' +
          `<p><img src="${REMOTE_IMAGE}" alt="photo" width="40" height="30"></p><p class="sig">Sophie Martin</p>`,
      },
      attachments: [{ name: 'box.png', mimeType: 'image/png', size: 68, url: 'https://files.kestrel.example/box.png' }],
    },
  ],
  tickets: [{ id: 'T-1001', customerId: 'c-ada', subject: 'Invoice for order KS-0999', status: 'open', createdAt: '-2d' }],
  articles: [
    {
      id: 'kb-return',
      locale: 'en',
      title: 'Returns and refunds',
      body: 'Hi {customer.name}, you can return any product within 30 days of delivery for a full refund.\n\nBest regards, {agent.name}',
      tags: ['return', 'refund'],
    },
  ],
};

// A 1×1 PNG, for every https image (avatars, thumbnails, the email's remote image): the machine has no network.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

// ---------------------------------------------------------------------------------------------------------------
// Collecting violations.

interface Collected {
  /** securitypolicyviolation events, from the page and from the email frames. */
  readonly events: () => Promise<string[]>;
  /** DevTools' Content-Security-Policy issues (every frame of the page). */
  readonly issues: string[];
  /** CSP and Trusted Types errors on the console (every frame). */
  readonly console: string[];
  /** Reports the server received since this page opened. */
  readonly reports: () => Promise<unknown[]>;
  /** The email frames' listeners, installed as each frame appears. */
  watchFrame(frame: Frame): Promise<void>;
}

type ViolationWindow = Window & { __cspViolations?: string[] };

/** Records the violations of the document it runs in (the page; the email frames through `watchFrame`). */
function listenForViolations(): void {
  const target = window as ViolationWindow;
  if (target.__cspViolations) return;
  const seen: string[] = [];
  target.__cspViolations = seen;
  document.addEventListener(
    'securitypolicyviolation',
    (event) => seen.push(`${location.href}: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sample})`),
    true,
  );
}

async function serverReports(): Promise<unknown[]> {
  const response = await fetch(`${server.origin}/csp-reports`);
  return (await response.json()) as unknown[];
}

async function collect(page: Page): Promise<Collected> {
  const before = (await serverReports()).length;
  await page.addInitScript(listenForViolations);
  const issues: string[] = [];
  const cdp: CDPSession = await page.context().newCDPSession(page);
  cdp.on('Audits.issueAdded', ({ issue }) => {
    if (issue.code === 'ContentSecurityPolicyIssue') issues.push(JSON.stringify(issue.details.contentSecurityPolicyIssueDetails));
  });
  await cdp.send('Audits.enable');
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (/content.security.policy|trusted.?type|TrustedHTML|TrustedScript|nonce/i.test(message.text())) consoleErrors.push(`${message.type()}: ${message.text()}`);
  });
  const frames = new Set<Frame>();
  return {
    issues,
    console: consoleErrors,
    async events() {
      const all: string[] = [];
      for (const frame of [page.mainFrame(), ...frames]) {
        if (frame.isDetached()) continue;
        all.push(...(await frame.evaluate(() => (window as ViolationWindow).__cspViolations ?? ['(no listener in this frame)'])));
      }
      return all;
    },
    reports: async () => (await serverReports()).slice(before),
    async watchFrame(frame) {
      frames.add(frame);
      await frame.evaluate(listenForViolations);
    },
  };
}

async function expectNoViolations(collected: Collected): Promise<void> {
  // Reports travel on their own request: give them a moment to arrive.
  await new Promise((resolvePromise) => setTimeout(resolvePromise, 1500));
  expect(await collected.events(), 'securitypolicyviolation events (page and email frames)').toEqual([]);
  expect(collected.issues, 'DevTools CSP issues').toEqual([]);
  expect(collected.console, 'CSP and Trusted Types console errors').toEqual([]);
  expect(await collected.reports(), 'reports at the report endpoint').toEqual([]);
}

// ---------------------------------------------------------------------------------------------------------------
// Driving the desk.

let runs = 0;

/** Opens the strict page on the seed; every https image is answered locally and counted. */
async function openStrictDesk(page: Page): Promise<{ desk: Desk; remoteRequests: string[] }> {
  const remoteRequests: string[] = [];
  await page.route((url) => url.pathname === '/strict-csp-seed.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(SEED) }));
  await page.route(/^https:\/\//, (route) => {
    remoteRequests.push(route.request().url());
    return route.fulfill({ contentType: 'image/png', body: PIXEL });
  });
  runs += 1;
  const response = await page.goto(`${server.origin}/?traffic=0&locale=en&seed=/strict-csp-seed.json&run=${runs}`);
  expect(response?.status()).toBe(200);
  const desk = new Desk(page, 'en');
  await expect(desk.root.getByRole('status').filter({ hasText: t.online }).first()).toBeVisible();
  await expect(desk.rows).toHaveCount(2);
  return { desk, remoteRequests };
}

/** The email frame of the open conversation, watched for violations, once its document is in. */
async function emailFrame(desk: Desk, collected: Collected): Promise<Frame> {
  const element = desk.conversation.locator('iframe.email-frame');
  await expect(element).toBeVisible();
  const frame = await (await element.elementHandle())?.contentFrame();
  if (!frame) throw new Error('The email frame has no document.');
  await expect.poll(() => frame.evaluate(() => document.body?.textContent ?? '')).toContain('cracked screen');
  await collected.watchFrame(frame);
  return frame;
}

/** The frame's own styles (the desk's) and the email's (its <style> and its style attributes) are applied. */
async function expectEmailStyled(frame: Frame): Promise<void> {
  const styles = await frame.evaluate(() => ({
    font: getComputedStyle(document.body).fontSize,
    colour: getComputedStyle(document.querySelector('p') ?? document.body).color,
    signature: getComputedStyle(document.querySelector('.sig') ?? document.body).fontWeight,
  }));
  expect(styles).toEqual({ font: '14px', colour: 'rgb(176, 0, 32)', signature: '700' });
}

async function workTheDesk(page: Page, desk: Desk, collected: Collected, remoteRequests: string[]): Promise<void> {
  // A chat: reply, then a knowledge answer inserted and sent.
  await desk.openConversation(CHAT.id, CHAT.customer, 'mouse');
  await desk.composer.fill('Sorry to hear that, let me check.');
  await desk.conversation.getByRole('button', { name: t.send, exact: true }).click();
  await expect(desk.thread.locator('article').filter({ hasText: 'Sorry to hear that' })).toHaveAttribute('data-delivery', /sent|delivered|read/);

  await desk.show('knowledge', 'mouse');
  await desk.knowledge.getByRole('searchbox', { name: t.knowledgeSearch }).fill('refund');
  await desk.knowledge.getByRole('option').filter({ hasText: 'Returns and refunds' }).click();
  await desk.knowledge.getByRole('article').getByRole('button', { name: t.insert }).click();
  await expect(desk.knowledge.getByRole('status').filter({ hasText: t.inserted })).toBeVisible();
  await expect(desk.composer).toHaveValue(/Hi Ada Lovelace, you can return/);
  await desk.conversation.getByRole('button', { name: t.send, exact: true }).click();
  await expect(desk.thread.locator('article').filter({ hasText: 'Hi Ada Lovelace' })).toHaveCount(1);

  // A ticket from the chat.
  await desk.show('tickets', 'mouse');
  await desk.tickets.getByRole('button', { name: t.newTicket }).click();
  const form = desk.tickets.getByRole('form', { name: t.createHeading, exact: true });
  await form.getByRole('button', { name: t.createTicket, exact: true }).click();
  await expect(desk.tickets.locator('[part="ticket"]').getByRole('heading', { name: CHAT.question })).toBeVisible();

  // The customer's profile.
  await desk.show('customer', 'mouse');
  await expect(desk.customerPanel.getByRole('heading', { level: 2, name: CHAT.customer, exact: true })).toBeVisible();
  await expect(desk.customerPanel).toContainText('ada@example.com');

  // An email: its body in the sandboxed frame, styled; remote images held back until the agent allows them.
  await desk.openConversation(MAIL.id, MAIL.customer, 'mouse');
  let frame = await emailFrame(desk, collected);
  await expectEmailStyled(frame);
  expect(await frame.evaluate(() => document.querySelector('img')?.getAttribute('src') ?? null), 'the remote image before it is allowed').toBeNull();
  expect(remoteRequests.filter((url) => url === REMOTE_IMAGE)).toEqual([]);
  await desk.conversation.getByRole('button', { name: 'Show remote images' }).click();
  await expect.poll(() => remoteRequests.filter((url) => url === REMOTE_IMAGE).length).toBe(1);
  frame = await emailFrame(desk, collected);
  await expect.poll(() => frame.evaluate(() => (document.querySelector('img') as HTMLImageElement | null)?.naturalWidth ?? 0)).toBe(1);
  await expectEmailStyled(frame);

  // A reply to the email.
  await desk.composer.fill('We are sending a replacement today.');
  await desk.conversation.getByRole('button', { name: t.send, exact: true }).click();
  await expect(desk.thread.locator('article').filter({ hasText: 'We are sending a replacement today.' })).toHaveAttribute('data-delivery', /sent|delivered|read/);

  // A call, where the demo has its phone: the host page's simulator rings, the agent answers, the caller hangs up.
  const simulator = page.locator('#phone-simulator');
  if (await simulator.isVisible()) {
    await simulator.locator('#sim-call').click();
    await desk.root.locator('cc-softphone').getByRole('button', { name: 'Answer', exact: true }).click();
    await expect(desk.root.locator('cc-softphone').getByRole('button', { name: 'Hang up', exact: true })).toBeVisible();
    await simulator.locator('#sim-hangup').click();
    await expect(desk.root.locator('cc-softphone').getByRole('button', { name: 'Hang up', exact: true })).toBeHidden();
  }
  await expect(page.locator('#error-count')).toHaveText('0');
}

// ---------------------------------------------------------------------------------------------------------------

test('strict.html is the demo page (index.html) with only its entry and the nonce meta changed', () => {
  const page = (name: string): string =>
    readFileSync(join(root, 'demo', name), 'utf8')
      .replace(/\s*<!--[\s\S]*?-->\s*<meta name="cc-style-nonce"[^>]*>/, '')
      .replace(/<title>[^<]*<\/title>/, '<title>')
      .replace(/<script type="module" src="\.\/(main|strict)\.ts"><\/script>/, '<script entry>');
  // When index.html changes, copy it to strict.html and put the strict entry and the nonce meta back.
  expect(page('strict.html')).toBe(page('index.html'));
});

test('the page is served with the strict policy: no unsafe-eval, no inline script, Trusted Types required', async ({ page }) => {
  const first = await page.request.get(`${server.origin}/`);
  const second = await page.request.get(`${server.origin}/`);
  const policy = first.headers()['content-security-policy'] ?? '';
  const directives = new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(directives.get('base-uri')).toEqual(["'none'"]);
  expect(directives.get('require-trusted-types-for')).toEqual(["'script'"]);
  expect(directives.get('trusted-types')).toEqual(['lit-html', 'cc-workspace-email']);
  expect(directives.get('style-src')?.[0]).toBe("'self'");
  expect(directives.get('style-src')?.[1]).toMatch(/^'nonce-[A-Za-z0-9+/]{22}==?'$/);
  // Style attributes only: an email's markup is parsed in the page to be sanitised (docs/security.md).
  expect(directives.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
  expect(policy.replace("style-src-attr 'unsafe-inline'", '')).not.toMatch(/unsafe-(eval|inline|hashes)|wasm-unsafe|strict-dynamic/);
  expect(directives.get('report-uri')).toEqual(['/csp-reports']);
  // A fresh nonce in every response, the same one in the header and the page.
  const nonceOf = (text: string): string | undefined => /'nonce-([^']+)'/.exec(text)?.[1];
  expect(nonceOf(policy)).not.toBe(nonceOf(second.headers()['content-security-policy'] ?? ''));
  expect(await first.text()).toContain(`nonce="${nonceOf(policy)}"`);
  expect(first.headers()['permissions-policy']).toContain('microphone=(self)');
});

test('the whole desk works under the strict policy with 0 violations', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const collected = await collect(page);
  const { desk, remoteRequests } = await openStrictDesk(page);
  // Lit uses constructable stylesheets here: the shadow roots hold no <style> elements.
  expect(await desk.root.evaluate((element) => element.shadowRoot?.adoptedStyleSheets.length ?? 0)).toBeGreaterThan(0);
  await workTheDesk(page, desk, collected, remoteRequests);
  await expectNoViolations(collected);
});

/** Makes Lit believe the browser has no constructable stylesheets: it then writes <style> elements, which need the nonce. */
function withoutAdoptedStyleSheets(): void {
  delete (Document.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
  delete (ShadowRoot.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
}

test('without adoptedStyleSheets the desk styles itself through the nonce (litNonce), with 0 violations', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.addInitScript(withoutAdoptedStyleSheets);
  const collected = await collect(page);
  const { desk, remoteRequests } = await openStrictDesk(page);
  const styles = await desk.root.evaluate((element) => {
    const shadow = element.shadowRoot;
    const styleElements = Array.from(shadow?.querySelectorAll('style') ?? []);
    const header = shadow?.querySelector('[part="header"]');
    return {
      adopted: 'adoptedStyleSheets' in Document.prototype,
      litNonce: typeof (window as Window & { litNonce?: string }).litNonce,
      styleElements: styleElements.length,
      // Nonces are hidden from the DOM (the attribute reads empty), but the element keeps it.
      withNonce: styleElements.filter((style) => style.nonce !== '' && style.getAttribute('nonce') === '').length,
      headerBackground: header ? getComputedStyle(header).backgroundColor : null,
    };
  });
  expect(styles.adopted).toBe(false);
  expect(styles.litNonce).toBe('string');
  expect(styles.styleElements).toBeGreaterThan(0);
  expect(styles.withNonce).toBe(styles.styleElements);
  // The workspace's own stylesheet applied: its header background (--cc-workspace-header-background's default).
  expect(styles.headerBackground).toBe('rgb(243, 245, 249)');
  await workTheDesk(page, desk, collected, remoteRequests);
  await expectNoViolations(collected);
});

// ---------------------------------------------------------------------------------------------------------------
// Negative controls: the same collectors, given a page that does violate the policy.

const isThePage = (url: URL): boolean => url.origin === server.origin && url.pathname === '/';

test('negative control: an injected inline script is blocked and reported', async ({ page }) => {
  const collected = await collect(page);
  await page.route(isThePage, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('</head>', '<script>window.__inlineRan = true</script></head>');
    await route.fulfill({ response, body });
  });
  const { desk } = await openStrictDesk(page);
  await expect(desk.rows).toHaveCount(2);
  expect(await page.evaluate(() => (window as Window & { __inlineRan?: boolean }).__inlineRan ?? false), 'the inline script ran').toBe(false);
  await expect.poll(async () => (await collected.events()).join('\n')).toMatch(/script-src-elem blocked inline/);
  expect(collected.issues.length).toBeGreaterThan(0);
  expect(collected.console.join('\n')).toMatch(/Content Security Policy/);
  await expect.poll(async () => JSON.stringify(await collected.reports()), { timeout: 15_000 }).toMatch(/script-src-elem/);
});

test('negative control: an HTML string written to innerHTML is refused by Trusted Types and reported', async ({ page }) => {
  const collected = await collect(page);
  const { desk } = await openStrictDesk(page);
  await expect(desk.rows).toHaveCount(2);
  const outcome = await page.evaluate(() => {
    try {
      document.body.insertAdjacentElement('beforeend', document.createElement('div'))!.innerHTML = '<img src=x>';
      return 'written';
    } catch (error) {
      return error instanceof TypeError ? 'refused' : String(error);
    }
  });
  expect(outcome).toBe('refused');
  await expect.poll(async () => (await collected.events()).join('\n')).toMatch(/require-trusted-types-for blocked trusted-types-sink/);
  await expect.poll(async () => JSON.stringify(await collected.reports()), { timeout: 15_000 }).toMatch(/require-trusted-types-for/);
});

test('negative control: without the nonce, Lit\'s <style> elements are blocked (so the nonce run proves something)', async ({ page }) => {
  await page.addInitScript(withoutAdoptedStyleSheets);
  const collected = await collect(page);
  await page.route(isThePage, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace(/<meta name="cc-style-nonce"[^>]*>/, '') });
  });
  const { desk } = await openStrictDesk(page);
  const headerBackground = await desk.root.evaluate((element) => {
    const header = element.shadowRoot?.querySelector('[part="header"]');
    return header ? getComputedStyle(header).backgroundColor : null;
  });
  expect(headerBackground, 'the workspace stylesheet was not applied').not.toBe('rgb(243, 245, 249)');
  await expect.poll(async () => (await collected.events()).join('\n')).toMatch(/style-src-elem blocked inline/);
});

import { expect, test } from '@playwright/test';
import { watchHostileEffects } from './helpers.js';

/**
 * Hostile data in every field a seed can carry: customer names, tags and notes, message texts, email
 * subjects and HTML, attachment names and URLs, ticket fields and articles. Opening every conversation and
 * every pane must run no script, open no dialog and reach no foreign host.
 */
const SCRIPT = 'window.__pwned=(window.__pwned||0)+1';
const payloads = [
  `<img src=x onerror="${SCRIPT}">`,
  `"><svg onload="${SCRIPT}">`,
  `<details open ontoggle="${SCRIPT}">x</details>`,
  `<script>${SCRIPT}</script>`,
  `javascript:${SCRIPT}`,
  `<a href="javascript:${SCRIPT}">click</a>`,
  `<iframe srcdoc="<script>parent.${SCRIPT}</script>"></iframe>`,
  `{{constructor.constructor('${SCRIPT}')()}}`,
  `\u202Egnp.exe`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${SCRIPT}">`,
];
const emailHtml = [
  `<p>Hello</p><img src="http://tracker.evil.example/pixel.png"><img src=x onerror="${SCRIPT}">`,
  `<svg><script>${SCRIPT}</script></svg><a href="javascript:${SCRIPT}">pay</a>`,
  `<style>@import url(http://css.evil.example/x.css);body{background:url(http://bg.evil.example/x.png)}</style><form action="http://evil.example"><input name=p></form>`,
  `<iframe src="http://evil.example"></iframe><object data="http://evil.example/x.swf"></object><base href="http://evil.example/">`,
  `<noscript><p title="</noscript><img src=x onerror=${SCRIPT}>"></noscript>`,
].join('');

function hostileSeed() {
  const customers = payloads.map((payload, index) => ({
    id: `evil-${index}`,
    name: `${payload} Customer ${index}`,
    tags: [payload],
    notes: payload,
    avatarUrl: index % 2 === 0 ? `javascript:${SCRIPT}` : 'data:image/svg+xml,<svg onload="alert(1)"/>',
    identities: [{ kind: 'email', value: `evil${index}@example.com` }],
  }));
  const conversations = payloads.map((payload, index) => ({
    id: `conv-evil-${index}`,
    channel: (['webchat', 'email', 'sms', 'wechat', 'douyin', 'phone'] as const)[index % 6],
    customerId: `evil-${index}`,
    status: 'open',
    assigneeId: 'agent-1',
    subject: payload,
    lastMessageAt: `-${index + 1}m`,
  }));
  const messages = payloads.flatMap((payload, index) => [
    { conversationId: `conv-evil-${index}`, direction: 'inbound', authorName: payload, text: `${payload} https://example.com/ok`, sentAt: `-${index + 2}m` },
    {
      conversationId: `conv-evil-${index}`,
      direction: 'inbound',
      authorName: payload,
      text: payload,
      sentAt: `-${index + 1}m`,
      email: { subject: payload, from: `evil${index}@example.com`, to: ['support@example.com'], cc: [payload], html: emailHtml },
      attachments: [
        { name: `${payload}.png`, mimeType: 'image/png', size: 10, url: `javascript:${SCRIPT}` },
        { name: 'invoice.svg', mimeType: 'image/svg+xml', size: 10, url: `data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="${SCRIPT}"/>` },
        { name: 'page.html', mimeType: 'text/html', size: 10, url: `data:text/html,<script>${SCRIPT}</script>` },
      ],
    },
  ]);
  const tickets = payloads.map((payload, index) => ({
    id: `T-evil-${index}`,
    customerId: `evil-${index}`,
    subject: payload,
    description: payload,
    comments: [{ authorName: payload, body: payload, createdAt: '-1m' }],
  }));
  const articles = payloads.map((payload, index) => ({ id: `kb-evil-${index}`, locale: 'en', title: `Refund ${payload}`, body: `${payload}\n\n{customer.name}` }));
  return { version: 1, agent: { id: 'agent-1', name: 'Agent' }, customers, conversations, messages, tickets, articles };
}

test('hostile data in every field runs no script, opens no dialog and reaches no foreign host', async ({ page, context }) => {
  test.setTimeout(120_000);
  const { dialogs, foreign } = await watchHostileEffects(context, page);
  await page.setViewportSize({ width: 1440, height: 900 });
  // Served by the test itself: the seed is too large for a data: URL in the address.
  await page.route((url) => url.pathname === '/hostile-seed.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(hostileSeed()) }));
  await page.goto('/?traffic=0&seed=/hostile-seed.json');
  const rows = page.locator('cc-workspace cc-conversation-list [role="option"]');
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(payloads.length);
  for (let index = 0; index < payloads.length; index++) {
    await page.locator(`cc-workspace cc-conversation-list [data-conversation-id="conv-evil-${index}"]`).click();
    await expect(page.locator('cc-workspace cc-conversation h2')).toContainText(`Customer ${index}`);
    // Every side pane renders this customer's data too.
    for (const tab of ['Customer', 'Tickets', 'Knowledge']) await page.locator('cc-workspace [role="tab"]', { hasText: tab }).click();
  }
  // Let lazy loads (images, frames, timers) settle before judging.
  await page.waitForTimeout(1000);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0)).toBe(0);
  // The email frames are sandboxed without scripts; nothing in them ran either.
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const ran = await frame.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0).catch(() => 0);
    expect(ran).toBe(0);
  }
  expect(dialogs).toEqual([]);
  expect(foreign).toEqual([]);
  // The payloads are shown as text, not dropped: the agent can see what the customer sent.
  await page.locator('cc-workspace cc-conversation-list [data-conversation-id="conv-evil-0"]').click();
  await expect(page.locator('cc-workspace cc-conversation h2')).toContainText('<img src=x onerror=');
});

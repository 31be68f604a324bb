import { expect, test, type Page } from '@playwright/test';

/** The demo desk with the traffic simulator off, so what the test sees is what it did. */
const DEMO = '/?traffic=0';

function desk(page: Page) {
  return page.locator('cc-workspace');
}

async function openFirstConversation(page: Page) {
  const rows = desk(page).locator('cc-conversation-list [role="option"]');
  await expect(rows.first()).toBeVisible();
  await rows.first().click();
  const thread = desk(page).locator('cc-conversation [role="log"]');
  await expect(thread.locator('article, .message').first()).toBeVisible();
  return thread;
}

test('an agent picks a conversation, replies, sees the reply, and the desk works again after a reload', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(DEMO);
  await expect(desk(page).getByRole('status').filter({ hasText: 'Online' })).toBeVisible();

  const thread = await openFirstConversation(page);
  const selected = await page.locator('#selected-conversation').textContent();
  expect(selected).not.toBe('—');

  const reply = `Thanks for waiting, we are on it (${Date.now()})`;
  const composer = desk(page).locator('cc-conversation textarea');
  await composer.fill(reply);
  await composer.press('Enter');

  const sent = thread.locator('article').filter({ hasText: reply });
  await expect(sent).toHaveCount(1);
  await expect(sent).toHaveAttribute('data-delivery', /sent|delivered|read/);
  await expect(composer).toHaveValue('');
  await expect(page.locator('#last-sent')).toHaveText(reply);

  await page.reload();
  await expect(desk(page).getByRole('status').filter({ hasText: 'Online' })).toBeVisible();
  const threadAfterReload = await openFirstConversation(page);
  await expect(threadAfterReload.locator('article').first()).toBeVisible();
  // Working again means a reply goes out and is confirmed, not only that the page paints.
  const secondReply = `Following up after the reload (${Date.now()})`;
  const composerAfterReload = desk(page).locator('cc-conversation textarea');
  await composerAfterReload.fill(secondReply);
  await composerAfterReload.press('Enter');
  await expect(threadAfterReload.locator('article').filter({ hasText: secondReply })).toHaveAttribute('data-delivery', /sent|delivered|read/);
  await expect(page.locator('#last-sent')).toHaveText(secondReply);
  expect(pageErrors).toEqual([]);
});

test('the thread reads across channels: the list holds every channel and an email shows its envelope', async ({ page }) => {
  await page.goto(DEMO);
  const list = desk(page).locator('cc-conversation-list');
  await expect(list.locator('[role="option"]').first()).toBeVisible();
  for (const channel of ['Phone', 'Web chat', 'Email', 'SMS', 'WeChat', 'Douyin']) {
    await expect(list.locator('[role="option"] .visually-hidden', { hasText: `${channel}:` }).first()).toBeAttached({ timeout: 5000 }).catch(async () => {
      // The row may be virtualized out of view: scroll through the list until it renders.
      await list.locator('lit-virtualizer').evaluate((element) => (element.scrollTop = element.scrollHeight));
      await expect(list.locator('[role="option"] .visually-hidden', { hasText: `${channel}:` }).first()).toBeAttached();
    });
  }
  await list.locator('[role="option"]', { has: page.locator('.visually-hidden', { hasText: 'Email:' }) }).first().click();
  await expect(desk(page).locator('cc-conversation .envelope').first()).toContainText('Subject:');
});

test('the keyboard alone opens a conversation and sends a reply', async ({ page }) => {
  await page.goto(DEMO);
  const listbox = desk(page).locator('cc-conversation-list [role="listbox"]');
  await expect(listbox).toBeVisible();
  await listbox.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(listbox.locator('[aria-selected="true"]')).toHaveCount(1);
  await expect(listbox.locator('[aria-selected="true"]')).toHaveAttribute('id', 'row-1');
  const composer = desk(page).locator('cc-conversation textarea');
  await composer.focus();
  await page.keyboard.type('Keyboard reply');
  await page.keyboard.press('Enter');
  await expect(desk(page).locator('cc-conversation article').filter({ hasText: 'Keyboard reply' })).toHaveCount(1);
});

test('the locale switch turns the desk and the host page into Chinese', async ({ page }) => {
  await page.goto(DEMO);
  await expect(desk(page).getByRole('heading', { name: 'Conversations' })).toBeVisible();
  await page.locator('#locale').selectOption('zh-CN');
  await expect(desk(page).getByRole('heading', { name: '会话' })).toBeVisible();
  await expect(desk(page).getByRole('status').filter({ hasText: '在线' })).toBeVisible();
  await expect(page.locator('#record-title')).toHaveText('客户服务');
  await page.reload();
  await expect(desk(page).getByRole('heading', { name: '会话' })).toBeVisible();
});

test('a malformed seed gives a readable error that names the bad field, and no desk', async ({ page }) => {
  const seed = { version: 1, customers: [{ id: 'c1', name: 'Ada', identities: [{ kind: 'fax', value: '1' }] }] };
  await page.goto(`/?seed=${encodeURIComponent(`data:application/json,${JSON.stringify(seed)}`)}`);
  const error = page.locator('#seed-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('customers[0].identities[0].kind');
  await expect(desk(page).locator('cc-conversation-list')).toHaveCount(0);
});

test('a host loads its own data with ?seed=<url>', async ({ page }) => {
  await page.goto('/?traffic=0&seed=/seeds/small-shop.json');
  const rows = desk(page).locator('cc-conversation-list [role="option"]');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'Oskar Nilsson' })).toHaveCount(1);
  await expect(desk(page).getByText('Signed in as Mei Tan')).toBeVisible();
});

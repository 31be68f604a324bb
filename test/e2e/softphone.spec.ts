import { expect, test, type Page } from '@playwright/test';

/**
 * The phone on the demo (DemoTelephony): a simulated call from a customer of the demo seed rings, the desk pops the
 * customer, the agent answers, holds and hangs up, and the wrap-up lands in the customer's history.
 */
const VIEWPORTS = [
  { width: 360, height: 780 },
  { width: 1440, height: 900 },
] as const;

async function openDemo(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Vite's dev client reloads the page when any source file changes; its socket is answered by a silent stand-in.
  await page.routeWebSocket((url) => url.pathname === '/' && url.searchParams.has('token'), () => undefined);
  await page.goto('/?traffic=0&locale=en');
  await expect(page.locator('cc-workspace').getByRole('status').filter({ hasText: 'Online' }).first()).toBeVisible();
  await expect(page.locator('cc-softphone .registration')).toHaveText('Phone ready');
  await page.evaluate(() => {
    const pops: unknown[] = [];
    (window as unknown as { __pops: unknown[] }).__pops = pops;
    document.querySelector('cc-workspace')?.addEventListener('cc-screen-pop', (event) => pops.push((event as CustomEvent).detail));
  });
  return errors;
}

for (const viewport of VIEWPORTS) {
  test(`an inbound call at ${viewport.width} px: ring, screen pop, answer, hold, hang up, wrap-up in the timeline`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const errors = await openDemo(page);
    const phone = page.locator('cc-workspace [part="phone"] cc-softphone');

    await page.locator('#sim-caller').selectOption({ label: 'Emily Carter · +1 415 555 0101' });
    await page.getByRole('button', { name: 'Simulate inbound call' }).click();

    const ringing = phone.locator('[part="ringing"]');
    await expect(ringing.locator('.caller-name')).toHaveText('Emily Carter');
    await expect(ringing.locator('.vip')).toHaveText('VIP 1');
    await expect(phone.locator('[aria-live="assertive"]')).toContainText('Incoming call from Emily Carter');

    // The screen pop: the customer panel shows the caller in every layout, and the host heard of it.
    const panel = page.locator('cc-workspace #panel-customer');
    await expect(panel).toBeVisible();
    await expect(panel.locator('cc-customer-panel [part="name"]')).toHaveText('Emily Carter');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __pops: { customerId: string; source: string }[] }).__pops)).toContainEqual(
      expect.objectContaining({ customerId: 'c-003', source: 'call' }),
    );

    await ringing.getByRole('button', { name: 'Answer' }).click();
    const call = phone.locator('[part="call"]');
    await expect(call).toHaveAttribute('data-state', 'active');
    await expect(call.locator('.timer')).toContainText(/0:0\d/);

    await call.getByRole('button', { name: 'Hold' }).click();
    await expect(call).toHaveAttribute('data-state', 'held');
    await expect(call.locator('.call-state')).toHaveText('On hold');

    await call.getByRole('button', { name: 'Hang up' }).click();
    const wrapUp = phone.locator('[part="wrap-up"]');
    await expect(wrapUp).toBeVisible();
    await expect(page.locator('cc-workspace cc-agent-status #presence')).toHaveValue('after-call-work');

    const notes = `Promised a refund if not delivered by Friday (${viewport.width} px, ${Date.now()})`;
    await wrapUp.getByLabel('Outcome').selectOption({ label: 'Callback requested' });
    await wrapUp.getByLabel('Notes').fill(notes);
    await wrapUp.getByRole('button', { name: 'Save call record' }).click();
    await expect(phone.locator('.saved')).toHaveText('Call record saved to the customer’s history.');
    await expect(wrapUp).toHaveCount(0);
    await expect(page.locator('cc-workspace cc-agent-status #presence')).toHaveValue('available');

    // The record is in Emily's history: her phone conversation now leads the timeline with the notes.
    const timeline = panel.locator('cc-customer-panel [part="timeline"]');
    await expect(timeline.locator('li').first()).toContainText(notes);
    await expect(timeline.locator('li').first()).toContainText('Phone');
    expect(errors, 'uncaught errors in the page').toEqual([]);
  });
}

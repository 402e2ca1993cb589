/**
 * The moderators' console in headless Chromium (Debian's package, driven by playwright-core; no
 * browser download) against the real local server and the OpenIM stand-in: sign in, see the
 * flagged message highlighted, claim with the keyboard, decide with one click, see the decision in
 * the log and the revoke arrive at OpenIM; a newly flagged message appears without a reload.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ADMIN_USER_ID } from '#shared/openim/admin/admin-config.ts';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { api, sendGroupMessage, startReviewRig, type ReviewRig } from '../helpers/review-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OUTPUT_DIR = join(import.meta.dirname, '..', '..', 'test-output');

describe('Console: moderation in the browser', () => {
  let rig: ReviewRig;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [rig, browser] = await Promise.all([startReviewRig(), chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('refuses a wrong token at sign-in', async () => {
    // Act
    await page.goto(`${rig.server.url}/console/`);
    await page.fill('#token', 'wrong-token-0123456789');
    await page.click('button[type=submit]');

    // Assess
    await expect(page.locator('.sign-in .error').textContent()).resolves.toContain('refused');
  });

  it('signs in, claims by keyboard, decides with one click, and shows the decision and OpenIM\'s answer', async () => {
    // Prepare
    const { conversationID, seq } = await sendGroupMessage(rig, { text: 'send a w1re transfer now', sendID: 'ursula', groupID: 'g-ui', clientMsgID: 'ui-1' });
    await eventually(async () => (await api(rig, 'GET', '/api/review/items/ui-1')).status === 200);
    const before = rig.standIn.effects().length;

    // Act
    await page.fill('#token', rig.server.apiToken);
    await page.click('button[type=submit]');
    await page.click('li[data-item="ui-1"]');
    const highlighted = await page.locator('.detail mark').first().textContent();
    await page.keyboard.press('c');
    await page.locator('#item-state', { hasText: 'claimed' }).waitFor();
    await page.click('button[data-decision="removed"]');
    const logEntry = page.locator('li[data-log="decision"]');
    await logEntry.waitFor();

    // Assess
    expect(highlighted).toBe('w1re transfer');
    await expect(logEntry.textContent()).resolves.toMatch(/removed by local-operator.*applied.*\/msg\/revoke_msg → 0/s);
    await expect(page.locator('#item-state').textContent()).resolves.toBe('decided');
    expect(rig.standIn.effects().slice(before).map((call) => [call.path, call.body])).toEqual([['/msg/revoke_msg', { conversationID, seq, userID: DEFAULT_ADMIN_USER_ID }]]);
    await page.locator('[data-count="decided"]', { hasText: '1' }).waitFor();
  });

  it('shows a newly flagged message and its count without a reload', async () => {
    // Act
    await sendGroupMessage(rig, { text: 'a crypto scam offer', sendID: 'victor', groupID: 'g-ui', clientMsgID: 'ui-2' });
    await page.locator('li[data-item="ui-2"]').waitFor({ timeout: 15_000 });

    // Assess
    await expect(page.locator('[data-count="pending"]').textContent()).resolves.toBe('1');
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const screenshot = join(OUTPUT_DIR, 'console.png');
    await page.click('li[data-item="ui-2"]');
    // The new item's detail (message, conversation context, log) has loaded, not the previous one's.
    await page.locator('section.detail', { hasText: 'victor' }).locator('mark').first().waitFor();
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`console screenshot: ${screenshot}`);
  });
});

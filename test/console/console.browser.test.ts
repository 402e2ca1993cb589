/**
 * The moderators' console in headless Chromium (Debian's package, driven by playwright-core; no
 * browser download) against the real local server and the OpenIM stand-in, as a team: two
 * moderators signed in at once (claims and decisions attributed, the loser of a race told who holds
 * the item), a triage account that sees why it cannot decide, a failed decision recovered, a user's
 * report carried through; the page's security headers, no sideways overflow from 360 to 1920 px,
 * axe-core's check, and screenshots at 360 and 1280 px under test-output/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_USER_ID } from '#shared/openim/admin/admin-config.ts';
import { localModeratorAccounts } from '../../local/moderator-accounts.ts';
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

describe('Console: a moderation team in the browser', () => {
  let rig: ReviewRig;
  let browser: Browser;
  const tokens = {} as Record<string, string> & Record<'alice' | 'bob' | 'tara', string>;
  const pages = {} as Record<'alice' | 'bob' | 'tara', Page>;
  const pageErrors: string[] = [];

  async function signIn(name: string, token: string, width = 1280): Promise<Page> {
    // A context per person, as two browsers would be (and as axe-core's runner needs).
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(`${name}: ${message.text()}`));
    page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
    await page.goto(`${rig.server.url}/console/`);
    await page.fill('#token', token);
    await page.click('button[type=submit]');
    await page.locator('#who', { hasText: name }).waitFor();
    return page;
  }

  const flag = async (clientMsgID: string, text = 'send a w1re transfer now', sendID = 'ursula') => {
    const sent = await sendGroupMessage(rig, { text, sendID, groupID: 'g-ui', clientMsgID });
    await eventually(async () => (await api(rig, 'GET', `/api/review/items/${clientMsgID}`)).status === 200);
    return sent;
  };

  beforeAll(async () => {
    [rig, browser] = await Promise.all([startReviewRig(), chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })]);
    const accounts = localModeratorAccounts(rig.server.dataDir);
    for (const [name, role] of [['alice', 'moderator'], ['bob', 'moderator'], ['tara', 'triage']] as const) tokens[name] = (await accounts.add(name, role)).token;
    mkdirSync(OUTPUT_DIR, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('refuses a wrong token at sign-in', async () => {
    // Prepare
    const page = await browser.newPage();

    // Act
    await page.goto(`${rig.server.url}/console/`);
    await page.fill('#token', 'wrong-token-0123456789');
    await page.click('button[type=submit]');

    // Assess
    await expect(page.locator('.sign-in .error').textContent()).resolves.toContain('refused');
    await page.close();
  });

  it('serves the console with a CSP that allows no inline script, no framing, nosniff, a referrer policy and a favicon', async () => {
    // Act
    const page = await fetch(`${rig.server.url}/console/`);
    const icon = await fetch(`${rig.server.url}/console/favicon.svg`);

    // Assess
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('attributes two moderators\' claims and decisions, and tells the one who lost the race who holds the item', { timeout: 60_000 }, async () => {
    // Prepare
    const { conversationID, seq } = await flag('ui-race');
    await flag('ui-next', 'a crypto scam offer', 'victor');
    [pages.alice, pages.bob] = await Promise.all([signIn('alice', tokens.alice), signIn('bob', tokens.bob)]);
    for (const page of [pages.alice, pages.bob]) await page.click('li[data-item="ui-race"] .open-item');
    const before = rig.standIn.effects().length;

    // Act: the key goes to the item's detail once it has loaded (a key pressed while it loads does nothing).
    await pages.alice.locator('section.detail[data-state="pending"]', { hasText: 'ursula' }).waitFor();
    const highlighted = await pages.alice.locator('.detail mark').first().textContent();
    await pages.alice.keyboard.press('c');
    await pages.alice.locator('#claimed-by', { hasText: 'alice' }).waitFor();
    await pages.bob.click('#claim');
    const conflict = await pages.bob.locator('#item-error').textContent();
    await pages.alice.click('button[data-decision="removed"]');
    // After the decision the console moves on to the next item by itself.
    await pages.alice.locator('section.detail', { hasText: 'victor' }).waitFor();

    // Assess
    expect(highlighted).toBe('w1re transfer');
    expect(conflict).toContain('claimed by alice');
    const log = (await api(rig, 'GET', '/api/review/log?itemId=ui-race')).body.entries;
    expect(log).toEqual([expect.objectContaining({ kind: 'decision', decision: 'removed', actor: 'alice', outcome: 'applied' })]);
    expect(rig.standIn.effects().slice(before).map((call) => [call.path, call.body])).toEqual([['/msg/revoke_msg', { conversationID, seq, userID: DEFAULT_ADMIN_USER_ID }]]);
    // The count moved at once after alice's own action, not on the next poll.
    await pages.alice.locator('[data-count="decided"]', { hasText: '1' }).waitFor({ timeout: 2_000 });
    await pages.bob.click('button[data-view="decided"]');
    // The decided view lists it with who decided what (waiting out the pending list it replaces).
    await pages.bob.locator('li[data-item="ui-race"]', { hasText: 'removed by alice' }).waitFor();
  });

  it('keeps a failed decision visible, claimed by its moderator, and recovers it with a retry', async () => {
    // Prepare
    await pages.alice.click('button[data-view="pending"]');
    await pages.alice.click('li[data-item="ui-next"] .open-item');
    rig.standIn.failConnections(50);

    // Act
    await pages.alice.click('button[data-decision="removed"]');
    const failure = await pages.alice.locator('#last-failure').textContent();
    const state = await pages.alice.locator('#item-state').textContent();
    await pages.alice.click('button[data-view="mine"]');
    const mine = pages.alice.locator('li[data-item="ui-next"]', { hasText: 'claimed by alice' });
    await mine.waitFor();
    const mineText = await mine.textContent();
    rig.standIn.failConnections(0);
    await pages.alice.click('li[data-item="ui-next"] .open-item');
    await pages.alice.click('#retry');
    await eventually(async () => (await api(rig, 'GET', '/api/review/items/ui-next')).body.item.state === 'decided');

    // Assess
    expect(failure).toMatch(/removed failed at .*not carried out/);
    expect(state).toBe('claimed');
    expect(mineText).toContain('failed');
    expect((await api(rig, 'GET', '/api/review/items/ui-next')).body.item.decidedBy).toBe('alice');
  });

  it('shows a triage account why it cannot decide, and lets it add a note', async () => {
    // Prepare
    await flag('ui-triage');
    pages.tara = await signIn('tara', tokens.tara);
    await pages.tara.click('li[data-item="ui-triage"] .open-item');

    // Act
    const removeDisabled = await pages.tara.locator('button[data-decision="removed"]').isDisabled();
    const why = await pages.tara.locator('[data-unavailable="removed"]').textContent();
    await pages.tara.fill('#note', 'same sender as yesterday');
    await pages.tara.click('#add-note');
    await pages.tara.locator('li[data-log="note"]').waitFor();

    // Assess
    expect(removeDisabled).toBe(true);
    expect(why).toContain('needs the moderator role (you are triage)');
    await expect(pages.tara.locator('li[data-log="note"]').textContent()).resolves.toContain('by tara');
  });

  it('carries a user\'s report through to a decision', async () => {
    // Prepare
    const message = {
      sendID: 'wanda',
      senderNickname: 'Wanda',
      sessionType: 3,
      groupID: 'g-ui',
      conversationID: 'sg_g-ui',
      serverMsgID: 's-ui-report',
      clientMsgID: 'ui-report',
      contentType: 101,
      content: JSON.stringify({ content: 'meet me after school or else' }),
      sendTime: Date.now(),
    };
    await api(rig, 'POST', '/api/review/reports', { reporterID: 'xena', category: 'harassment', text: 'a threat', message });

    // Act
    await pages.bob.click('button[data-view="pending"]');
    const entry = pages.bob.locator('li[data-item="ui-report"]');
    await entry.waitFor({ timeout: 15_000 });
    const badge = await entry.locator('.badge.report').textContent();
    await entry.locator('.open-item').click();
    await pages.bob.click('button[data-decision="approved"]');
    await eventually(async () => (await api(rig, 'GET', '/api/review/items/ui-report')).body.item.state === 'decided');

    // Assess
    expect(badge).toBe('reported ×1');
    const log = (await api(rig, 'GET', '/api/review/log?itemId=ui-report')).body.entries;
    expect(log.map((e: { kind: string; actor: string }) => [e.kind, e.actor])).toEqual([
      ['decision', 'bob'],
      ['report', 'user:xena'],
    ]);
  });

  it('fits 360 to 1920 px without sideways overflow, passes axe-core, and is captured at 360 and 1280 px', { timeout: 60_000 }, async () => {
    // Prepare
    await flag('ui-shot', 'please send the wire transfer today', 'yusuf');
    const page = pages.alice;
    await page.click('button[data-view="pending"]');
    await page.click('li[data-item="ui-shot"] .open-item');
    await page.locator('section.detail', { hasText: 'yusuf' }).locator('mark').first().waitFor();

    // Act
    const overflow: Record<number, number> = {};
    for (const width of [360, 420, 800, 1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      // Runs in the page; the test's own types have no DOM.
      overflow[width] = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      if (width === 360 || width === 1280) {
        const path = join(OUTPUT_DIR, `console-${width}.png`);
        await page.screenshot({ path, fullPage: true });
        console.log(`console screenshot: ${path}`);
      }
    }
    const axe = await new AxeBuilder({ page }).analyze();

    // Assess
    expect(overflow).toEqual({ 360: 0, 420: 0, 800: 0, 1280: 0, 1920: 0 });
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
    expect(pageErrors.filter((error) => /Content Security Policy|Refused/.test(error))).toEqual([]);
  });

  it('shows the keyboard help on ?', async () => {
    // Act
    await pages.alice.locator('body').click({ position: { x: 1, y: 1 } }).catch(() => undefined);
    await pages.alice.keyboard.press('?');

    // Assess
    await expect(pages.alice.locator('[role=dialog]').textContent()).resolves.toContain('next / previous item');
  });
});

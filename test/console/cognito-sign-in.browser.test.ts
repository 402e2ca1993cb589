/**
 * The console as AWS serves it, signing in through Cognito's hosted UI with PKCE, in headless
 * Chromium (Debian's, driven by playwright-core): the console function's own handler serves the
 * files and config.json, a stand-in plays the user pool's hosted UI on another origin
 * (test/helpers/cognito-stand-in.ts), and the review route's handler answers behind what API
 * Gateway's Cognito authorizer checks. Two moderators sign in at once, each as themselves; a
 * tampered verifier or a foreign `state` signs nobody in; the ID token is refreshed before it
 * expires and when the API refuses it; signing out revokes the refresh token and ends the hosted
 * UI's session. The sign-in page passes axe-core and is captured at 360 and 1280 px.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleBehindCognito, type ConsoleBehindCognito } from '../helpers/console-behind-cognito.ts';
import { eventually } from '../helpers/eventually.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUTPUT_DIR = join(import.meta.dirname, '..', '..', 'test-output');
const USERS = [
  { username: 'alice', email: 'alice@example.com', groups: ['moderators'] },
  { username: 'tara', email: 'tara@example.com', groups: ['triage'] },
  { username: 'root', email: 'root@example.com', groups: ['moderators', 'admins'] },
];
/** Where the console keeps the verifier and state while the hosted UI signs the user in. */
const PENDING_KEY = 'openim-hooks.cognito.pending';

describe('Console: signing in through Cognito\'s hosted UI (authorization code with PKCE)', () => {
  let site: ConsoleBehindCognito;
  let browser: Browser;
  const pageErrors: string[] = [];

  async function openConsole(name: string, width = 1280): Promise<Page> {
    // A context per person, as two browsers would be.
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(`${name}: ${message.text()}`));
    page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
    await page.goto(site.consoleUrl);
    return page;
  }

  async function signIn(page: Page, username: string): Promise<void> {
    await page.click('#cognito-sign-in');
    await page.waitForURL(`${site.standIn.url}/oauth2/authorize?**`);
    await page.fill('#username', username);
    await page.click('#sign-in-submit');
  }

  const tokenRequestsOf = (grantType: string) => site.standIn.tokenRequests.filter((request) => request.fields.grant_type === grantType);

  beforeAll(async () => {
    [site, browser] = await Promise.all([startConsoleBehindCognito(USERS), chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })]);
    mkdirSync(OUTPUT_DIR, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('shows a sign-in page that passes axe-core, captured at 360 and 1280 px', async () => {
    // Prepare
    const page = await openConsole('visitor');
    await page.locator('#cognito-sign-in').waitFor();

    // Act
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 700 });
      await page.screenshot({ path: join(OUTPUT_DIR, `console-sign-in-${width}.png`), fullPage: true });
    }
    const axe = await new AxeBuilder({ page }).analyze();

    // Assess
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await expect(page.locator('#token').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('signs two moderators in at once, each as themselves, with an S256 challenge and the ID token as the bearer', { timeout: 60_000 }, async () => {
    // Prepare
    const [alice, tara] = await Promise.all([openConsole('alice'), openConsole('tara')]);
    const authorizeUrls: string[] = [];
    for (const page of [alice, tara]) page.on('request', (request) => request.url().startsWith(`${site.standIn.url}/oauth2/authorize`) && authorizeUrls.push(request.url()));

    // Act
    await Promise.all([signIn(alice, 'alice'), signIn(tara, 'tara')]);
    await alice.locator('#who', { hasText: 'alice@example.com' }).waitFor();
    await tara.locator('#who', { hasText: 'tara@example.com' }).waitFor();
    const stored = await alice.evaluate('[Object.keys(sessionStorage), Object.keys(localStorage)]');

    // Assess
    await expect(alice.locator('#who').textContent()).resolves.toBe('alice@example.com (moderator)');
    await expect(tara.locator('#who').textContent()).resolves.toBe('tara@example.com (triage)');
    // The code and state are gone from the address bar once redeemed.
    expect([alice.url(), tara.url()]).toEqual([site.consoleUrl, site.consoleUrl]);
    const authorize = authorizeUrls.map((url) => Object.fromEntries(new URL(url).searchParams));
    expect(authorize).toEqual([
      expect.objectContaining({ response_type: 'code', code_challenge_method: 'S256', scope: 'openid email profile', redirect_uri: site.consoleUrl, code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) }),
      expect.objectContaining({ response_type: 'code', code_challenge_method: 'S256' }),
    ]);
    expect(authorize[0]!.state).not.toBe(authorize[1]!.state);
    const exchanges = tokenRequestsOf('authorization_code');
    expect(exchanges.map((request) => [request.status, request.origin, request.fields.code_verifier?.length])).toEqual([
      [200, site.url, 43],
      [200, site.url, 43],
    ]);
    // Each person's calls carry an ID token the pool issued them.
    const issuedTo = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).email as string;
    expect(new Set(site.admittedBearers.map(issuedTo))).toEqual(new Set(['alice@example.com', 'tara@example.com']));
    expect(site.admittedBearers.every((token) => site.standIn.issuedIdTokens.includes(token))).toBe(true);
    expect(stored).toEqual([['openim-hooks.cognito.session'], []]);
    expect(pageErrors.filter((error) => /Content Security Policy|Refused/.test(error))).toEqual([]);
    await Promise.all([alice.context().close(), tara.context().close()]);
  });

  it('signs nobody in when the verifier does not match the challenge', async () => {
    // Prepare: the page's stored verifier is swapped before the console redeems the code.
    const page = await (await browser.newContext()).newPage();
    // A script string: the test's own types have no DOM.
    await page.addInitScript(`{
      const pending = sessionStorage.getItem(${JSON.stringify(PENDING_KEY)});
      if (pending && location.search.includes('code=')) sessionStorage.setItem(${JSON.stringify(PENDING_KEY)}, JSON.stringify({ ...JSON.parse(pending), verifier: 'x'.repeat(43) }));
    }`);
    await page.goto(site.consoleUrl);
    const before = tokenRequestsOf('authorization_code').length;

    // Act
    await signIn(page, 'alice');
    const error = await page.locator('.sign-in .error').textContent();

    // Assess
    expect(error).toContain('invalid_grant');
    expect(tokenRequestsOf('authorization_code').slice(before).map((request) => request.status)).toEqual([400]);
    await expect(page.locator('#who').count()).resolves.toBe(0);
    await page.context().close();
  });

  it('refuses a code that comes back with a state this tab did not send, without redeeming it', async () => {
    // Prepare
    const page = await (await browser.newContext()).newPage();
    const before = site.standIn.tokenRequests.length;

    // Act
    await page.goto(`${site.consoleUrl}?code=stolen-code&state=not-mine`);
    const error = await page.locator('.sign-in .error').textContent();

    // Assess
    expect(error).toContain('not started from this tab');
    expect(site.standIn.tokenRequests.length).toBe(before);
    expect(page.url()).toBe(site.consoleUrl);
    await page.context().close();
  });

  it('refreshes the ID token before it expires, and when the API refuses it', { timeout: 60_000 }, async () => {
    // Prepare: tokens that are due for a refresh a second after they are issued (5 minutes' margin).
    site.standIn.setIdTokenSeconds(301);
    const page = await openConsole('root');
    await signIn(page, 'root');
    await page.locator('#who', { hasText: 'root@example.com (admin)' }).waitFor();
    const refreshes = tokenRequestsOf('refresh_token').length;

    // Act: the console's next poll finds the token due; then the API refuses the newest one.
    await eventually(async () => tokenRequestsOf('refresh_token').length > refreshes, 15_000);
    site.standIn.setIdTokenSeconds(3600);
    const refreshed = site.standIn.issuedIdTokens.at(-1)!;
    await eventually(async () => site.admittedBearers.includes(refreshed), 15_000);
    site.refuse(refreshed);
    await eventually(async () => site.admittedBearers.includes(site.standIn.issuedIdTokens.at(-1)!) && site.standIn.issuedIdTokens.at(-1) !== refreshed, 15_000);

    // Assess: still signed in, as the same person
    await expect(page.locator('#who').textContent()).resolves.toBe('root@example.com (admin)');
    expect(tokenRequestsOf('refresh_token').every((request) => request.status === 200 && request.fields.refresh_token)).toBe(true);
    await page.context().close();
  });

  it('signs out through the hosted UI: the refresh token is revoked and the next sign-in asks again', { timeout: 60_000 }, async () => {
    // Prepare
    const page = await openConsole('alice');
    await signIn(page, 'alice');
    await page.locator('#who', { hasText: 'alice@example.com' }).waitFor();
    const refreshToken = (JSON.parse((await page.evaluate("sessionStorage.getItem('openim-hooks.cognito.session')")) as string) as { refreshToken: string }).refreshToken;

    // Act
    await page.click('button.sign-out');
    await page.locator('#cognito-sign-in').waitFor();
    const stored = await page.evaluate('Object.keys(sessionStorage)');
    await page.click('#cognito-sign-in');

    // Assess: back at the hosted UI's form, its session ended
    await page.locator('#username').waitFor();
    expect(site.standIn.revokedTokens).toContain(refreshToken);
    expect(site.standIn.logouts.at(-1)).toBe(site.consoleUrl);
    expect(stored).toEqual([]);
    await page.context().close();
  });
});

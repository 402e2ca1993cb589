import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cognitoConsoleConfig, CONSOLE_ENV, consoleFiles, consoleSite } from '../../console/console-files.ts';

const COGNITO = { mode: 'cognito', domain: 'https://openim-hooks-dev-123456789012.auth.eu-west-1.amazoncognito.com', clientId: 'client-1', redirectUri: 'https://api.example/dev/console/' } as const;

describe('Function: consoleSite()', () => {
  const aws = consoleSite({ config: COGNITO });
  const local = consoleSite({ config: { mode: 'token' } });

  it.each([
    { $case: 'the page', name: '', type: 'text/html; charset=utf-8' },
    { $case: 'a module', name: 'cognito-sign-in.js', type: 'text/javascript; charset=utf-8' },
    { $case: 'the favicon', name: 'favicon.svg', type: 'image/svg+xml' },
    { $case: 'the sign-in settings', name: 'config.json', type: 'application/json; charset=utf-8' },
  ])('answers $case with every security header', ({ name, type }) => {
    // Act
    const reply = aws.respond(name);

    // Assess
    expect(reply.statusCode).toBe(200);
    expect(reply.headers).toMatchObject({ 'content-type': type, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', 'x-frame-options': 'DENY' });
    const csp = String(reply.headers!['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('allows the import map by its hash and no other inline script', () => {
    const page = readFileSync(consoleFiles()['index.html']!, 'utf8');
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(page)![1]!;
    const hash = createHash('sha256').update(importMap).digest('base64');
    expect(String(aws.respond('').headers!['content-security-policy'])).toContain(`script-src 'self' 'sha256-${hash}';`);
  });

  it('lets the page call Cognito\'s token endpoint in AWS, and only its own origin locally', () => {
    expect(String(aws.respond('').headers!['content-security-policy'])).toContain(`connect-src 'self' ${COGNITO.domain};`);
    expect(String(local.respond('').headers!['content-security-policy'])).toContain("connect-src 'self';");
  });

  it('tells the page how to sign in', () => {
    expect(JSON.parse(aws.respond('config.json').body)).toEqual(COGNITO);
    expect(JSON.parse(local.respond('config.json').body)).toEqual({ mode: 'token' });
  });

  it('redirects /console to console/, relative so that it holds under a stage path', () => {
    expect(aws.respond(undefined)).toMatchObject({ statusCode: 308, headers: { location: 'console/' } });
  });

  it.each([
    { $case: 'an unknown file', name: 'secrets.json' },
    { $case: 'a path out of the folder', name: '../package.json' },
    { $case: 'an inherited property', name: '__proto__' },
  ])('answers 404 for $case', ({ name }) => {
    expect(aws.respond(name)).toMatchObject({ statusCode: 404, headers: { 'content-type': 'application/problem+json', 'x-content-type-options': 'nosniff' } });
  });
});

describe('Function: cognitoConsoleConfig()', () => {
  it('reads the sign-in the stack sets in the function\'s environment', () => {
    const env = { [CONSOLE_ENV.domain]: COGNITO.domain, [CONSOLE_ENV.clientId]: COGNITO.clientId, [CONSOLE_ENV.redirectUri]: COGNITO.redirectUri };
    expect(cognitoConsoleConfig(env)).toEqual(COGNITO);
  });

  it('throws naming the variables when one is missing', () => {
    expect(() => cognitoConsoleConfig({ [CONSOLE_ENV.domain]: COGNITO.domain })).toThrow(/CONSOLE_COGNITO_CLIENT_ID/);
  });
});

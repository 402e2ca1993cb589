/**
 * The console's static files and how they are answered, in one place for both hosts: the local
 * server (local/server.ts) and, in AWS, the operator API's console function
 * (functions/console-files/handler.ts), so both send the same files with the same headers.
 * The files are this directory's own plus the three front-end modules from node_modules (Preact,
 * its hooks, htm) under `vendor/`, as the import map in index.html names them; the function's
 * bundle carries copies of them under `console/` (CONSOLE_BUNDLE_DIR). `config.json` is not a
 * file: it tells the page how to sign in (a pasted token locally, Cognito's hosted UI in AWS).
 * None of them holds data: everything the console shows comes from /api, behind the token.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { problemResponse } from '#shared/api/problem.ts';

export const CONSOLE_DIR = import.meta.dirname;

/** Where the console function's bundle keeps its copies of the files, beside the handler. */
export const CONSOLE_BUNDLE_DIR = 'console';

const OWN_FILES = ['index.html', 'app.js', 'api.js', 'cognito-sign-in.js', 'html.js', 'text.js', 'detail.js', 'log-list.js', 'console.css', 'favicon.svg'] as const;
const VENDOR_FILES = ['vendor/preact.mjs', 'vendor/hooks.mjs', 'vendor/htm.mjs'] as const;

/** File name under /console/ -> absolute path on disk, in the repository. */
export function consoleFiles(): Record<string, string> {
  // Resolved here, not at import: the console function's bundle has no node_modules and never calls this.
  const require = createRequire(import.meta.url);
  return {
    ...Object.fromEntries(OWN_FILES.map((name) => [name, join(CONSOLE_DIR, name)])),
    // Preact's exports resolve to its ES modules; htm exports only its CommonJS build, beside which the ES module lies.
    'vendor/preact.mjs': require.resolve('preact'),
    'vendor/hooks.mjs': require.resolve('preact/hooks'),
    'vendor/htm.mjs': join(dirname(require.resolve('htm')), 'htm.mjs'),
  };
}

/** The same names, laid out flat under `dir` (the console function's bundle). */
export function consoleFilesIn(dir: string): Record<string, string> {
  return Object.fromEntries([...OWN_FILES, ...VENDOR_FILES].map((name) => [name, join(dir, name)]));
}

/** Every console file is text, so Lambda's proxy answers carry them as UTF-8 without base64. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

/** How the page signs in: a pasted token (local mode) or Cognito's hosted UI with PKCE (AWS). */
export const ConsoleConfig = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('token') }),
  z.object({
    mode: z.literal('cognito'),
    /** The hosted UI's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
    domain: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1),
    /** The console's own URL, registered as the app client's callback and sign-out URL. */
    redirectUri: z.url({ protocol: /^https?$/ }),
  }),
]);
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;

/** The console function's environment, set by infra/constructs/console-assets.ts. */
export const CONSOLE_ENV = {
  domain: 'CONSOLE_COGNITO_DOMAIN',
  clientId: 'CONSOLE_COGNITO_CLIENT_ID',
  redirectUri: 'CONSOLE_URL',
} as const;

/** The Cognito sign-in the console function's environment names; throws naming what is missing. */
export function cognitoConsoleConfig(env: NodeJS.ProcessEnv): ConsoleConfig {
  const parsed = ConsoleConfig.safeParse({ mode: 'cognito', domain: env[CONSOLE_ENV.domain], clientId: env[CONSOLE_ENV.clientId], redirectUri: env[CONSOLE_ENV.redirectUri] });
  if (!parsed.success) throw new Error(`console sign-in: set ${Object.values(CONSOLE_ENV).join(', ')}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Headers for every console answer. The CSP allows scripts, styles and images from this origin
 * only; the one inline script is index.html's import map (data, not code; Chromium cannot load an
 * external one), allowed by its hash. Calls go to this origin, and with Cognito also to its
 * token endpoint (the code exchange and refreshes). No framing (clickjacking a Remove button),
 * no MIME sniffing, no referrer beyond the origin (the sign-in's `?code=` never leaves it).
 */
export function consoleSecurityHeaders(files: Readonly<Record<string, string>> = consoleFiles(), config: ConsoleConfig = { mode: 'token' }): Readonly<Record<string, string>> {
  const page = readFileSync(files['index.html']!, 'utf8');
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(page)?.[1];
  if (importMap === undefined) throw new Error('console/index.html has no import map');
  const hash = createHash('sha256').update(importMap, 'utf8').digest('base64');
  const connect = config.mode === 'cognito' ? `connect-src 'self' ${new URL(config.domain).origin}` : "connect-src 'self'";
  return {
    'content-security-policy': [
      "default-src 'none'",
      `script-src 'self' 'sha256-${hash}'`,
      "style-src 'self'",
      "img-src 'self'",
      connect,
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
}

/** The file at `/console/<name>` (`''` is index.html), or undefined. */
export function readConsoleFile(name: string, files: Readonly<Record<string, string>> = consoleFiles()): { body: Buffer; contentType: string } | undefined {
  const path = Object.hasOwn(files, name || 'index.html') ? files[name || 'index.html'] : undefined;
  if (!path) return undefined;
  const extension = path.slice(path.lastIndexOf('.'));
  return { body: readFileSync(path), contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream' };
}

export interface ConsoleSite {
  /**
   * The answer to GET `/console` (`name` undefined: a redirect to `console/`, relative so that it
   * holds under API Gateway's stage path too) or `/console/<name>`.
   */
  respond(name: string | undefined): APIGatewayProxyResult;
}

/** Answers the console's paths from `files`, with `config` as `config.json`; headers computed once. */
export function consoleSite({ files = consoleFiles(), config }: { readonly files?: Readonly<Record<string, string>>; readonly config: ConsoleConfig }): ConsoleSite {
  const headers = consoleSecurityHeaders(files, config);
  const configBody = JSON.stringify(ConsoleConfig.parse(config));
  return {
    respond(name) {
      if (name === undefined) return { statusCode: 308, headers: { ...headers, location: 'console/' }, body: '' };
      if (name === 'config.json') return { statusCode: 200, headers: { ...headers, 'content-type': CONTENT_TYPES['.json']!, 'cache-control': 'no-cache' }, body: configBody };
      const file = readConsoleFile(name, files);
      if (!file) return problemResponse(404, `no console file ${name}`, {}, headers);
      return { statusCode: 200, headers: { ...headers, 'content-type': file.contentType, 'cache-control': 'no-cache' }, body: file.body.toString('utf8') };
    },
  };
}

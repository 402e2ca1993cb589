/**
 * The console's static files: this directory's own files, plus the three front-end modules from
 * node_modules (Preact, its hooks, htm) under `vendor/`, as the import map in index.html names
 * them. The local server serves them at /console/; the operator stack deploys the same list to S3.
 * None of them holds data: everything the console shows comes from /api, behind the token.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export const CONSOLE_DIR = import.meta.dirname;

/** File name under /console/ -> absolute path on disk. */
export function consoleFiles(): Record<string, string> {
  return {
    'index.html': join(CONSOLE_DIR, 'index.html'),
    'app.js': join(CONSOLE_DIR, 'app.js'),
    'api.js': join(CONSOLE_DIR, 'api.js'),
    'html.js': join(CONSOLE_DIR, 'html.js'),
    'text.js': join(CONSOLE_DIR, 'text.js'),
    'detail.js': join(CONSOLE_DIR, 'detail.js'),
    'log-list.js': join(CONSOLE_DIR, 'log-list.js'),
    'console.css': join(CONSOLE_DIR, 'console.css'),
    'favicon.svg': join(CONSOLE_DIR, 'favicon.svg'),
    // Preact's exports resolve to its ES modules; htm exports only its CommonJS build, beside which the ES module lies.
    'vendor/preact.mjs': require.resolve('preact'),
    'vendor/hooks.mjs': require.resolve('preact/hooks'),
    'vendor/htm.mjs': join(dirname(require.resolve('htm')), 'htm.mjs'),
  };
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Headers for every console file. The CSP allows scripts, styles and calls from this origin only;
 * the one inline script is index.html's import map (data, not code; Chromium cannot load an
 * external one), allowed by its hash. No framing (clickjacking a Remove button), no MIME sniffing,
 * no referrer beyond the origin.
 */
export function consoleSecurityHeaders(): Readonly<Record<string, string>> {
  const page = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8');
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(page)?.[1];
  if (importMap === undefined) throw new Error('console/index.html has no import map');
  const hash = createHash('sha256').update(importMap, 'utf8').digest('base64');
  return {
    'content-security-policy': [
      "default-src 'none'",
      `script-src 'self' 'sha256-${hash}'`,
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
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
export function readConsoleFile(name: string): { body: Buffer; contentType: string } | undefined {
  const files = consoleFiles();
  const path = Object.hasOwn(files, name || 'index.html') ? files[name || 'index.html'] : undefined;
  if (!path) return undefined;
  const extension = path.slice(path.lastIndexOf('.'));
  return { body: readFileSync(path), contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream' };
}

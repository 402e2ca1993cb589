/**
 * The console's static files: this directory's own files, plus the three front-end modules from
 * node_modules (Preact, its hooks, htm) under `vendor/`, as the import map in index.html names
 * them. The local server serves them at /console/; the operator stack deploys the same list to S3.
 * None of them holds data: everything the console shows comes from /api, behind the token.
 */
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
    'console.css': join(CONSOLE_DIR, 'console.css'),
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
};

/** The file at `/console/<name>` (`''` is index.html), or undefined. */
export function readConsoleFile(name: string): { body: Buffer; contentType: string } | undefined {
  const files = consoleFiles();
  const path = Object.hasOwn(files, name || 'index.html') ? files[name || 'index.html'] : undefined;
  if (!path) return undefined;
  const extension = path.slice(path.lastIndexOf('.'));
  return { body: readFileSync(path), contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream' };
}

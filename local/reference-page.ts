/**
 * The operator API's browsable reference, served by `npm start` at /api/docs/: this directory's page and
 * swagger-ui's prebuilt files from node_modules (swagger-ui-dist), nothing from a CDN. None of them
 * holds data; the document they show comes from /api/openapi.json, behind the token.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { CONTENT_TYPES } from '../console/console-files.ts';

const require = createRequire(import.meta.url);
const PAGE_DIR = join(import.meta.dirname, 'reference-page');
const SWAGGER_UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

export const REFERENCE_PAGE_PATH = '/api/docs/';

/** File name under /api/docs/ -> absolute path on disk. */
const FILES: Readonly<Record<string, string>> = {
  'index.html': join(PAGE_DIR, 'index.html'),
  'reference.js': join(PAGE_DIR, 'reference.js'),
  'swagger-ui-bundle.js': join(SWAGGER_UI_DIR, 'swagger-ui-bundle.js'),
  'swagger-ui.css': join(SWAGGER_UI_DIR, 'swagger-ui.css'),
};

/** The file at `/api/docs/<name>` (`''` is index.html), or undefined. */
export function readReferencePageFile(name: string): { body: Buffer; contentType: string } | undefined {
  const path = Object.hasOwn(FILES, name || 'index.html') ? FILES[name || 'index.html'] : undefined;
  if (!path) return undefined;
  return { body: readFileSync(path), contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' };
}

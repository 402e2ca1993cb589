/** Reads the sample OpenIM payloads in events/, byte for byte as OpenIM sends them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const EVENTS_DIR = join(import.meta.dirname, '..', '..', 'events');

export function eventFileNames(): string[] {
  return readdirSync(EVENTS_DIR).filter((name) => name.endsWith('.json'));
}

export function readEventBody(command: string): string {
  return readFileSync(join(EVENTS_DIR, `${command}.json`), 'utf8');
}

export function readEvent(command: string): Record<string, unknown> {
  return JSON.parse(readEventBody(command)) as Record<string, unknown>;
}

/**
 * `npm run invoke -- <command|configKey> [--url <webhook base URL>] [--body <file>]`
 * Posts the sample from events/ (or --body) to a running server the way OpenIM does (POST to
 * <base>/<command>, JSON content type, operationID header, `?key=` for the commands OpenIM main
 * adds it to) and prints the reply. The base URL defaults to WEBHOOK_BASE_URL, else the local
 * server's address from PORT/HOST and the secret kept in DATA_DIR.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CALLBACK_COMMANDS, COMMAND_NAMES, type CallbackCommandName } from '#shared/openim/commands.ts';

/** The commands OpenIM main sends with `?key=` (contract §1). */
const KEYED_COMMANDS = new Set<string>([
  'callbackAfterSendSingleMsgCommand',
  'callbackAfterSendGroupMsgCommand',
  'callbackAfterMsgSaveDBCommand',
]);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, body: { type: 'string' } },
});

const command = resolveCommand(positionals[0]);
const base = (values.url ?? process.env.WEBHOOK_BASE_URL ?? localWebhookBase()).replace(/\/+$/, '');
const body = readFileSync(values.body ?? join(import.meta.dirname, '..', 'events', `${command}.json`), 'utf8');
const url = `${base}/${command}${KEYED_COMMANDS.has(command) ? `?key=${encodeURIComponent(routingKeyOf(body))}` : ''}`;

const started = performance.now();
const response = await fetch(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json; charset=utf-8', operationID: randomUUID() },
  body,
});
const reply = await response.text();
process.stdout.write(`${command} (${CALLBACK_COMMANDS[command].mode}) -> HTTP ${response.status} in ${(performance.now() - started).toFixed(1)} ms\n${reply}\n`);

function resolveCommand(name: string | undefined): CallbackCommandName {
  const match = COMMAND_NAMES.find((candidate) => candidate === name || CALLBACK_COMMANDS[candidate].configKey === name);
  if (match) return match;
  process.stderr.write(`usage: npm run invoke -- <command|configKey>\nknown: ${COMMAND_NAMES.join(', ')}\n`);
  process.exit(2);
}

function localWebhookBase(): string {
  const credentials = resolve(process.env.DATA_DIR ?? '.data', 'credentials.json');
  const secret = process.env.CALLBACK_SECRET ?? (existsSync(credentials) ? (JSON.parse(readFileSync(credentials, 'utf8')) as { callbackSecret: string }).callbackSecret : undefined);
  if (!secret) {
    process.stderr.write('no server found: start one with `npm start`, or pass --url <webhook base URL>\n');
    process.exit(2);
  }
  return `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '8080'}/openim/${secret}`;
}

function routingKeyOf(json: string): string {
  const { sendID = '', recvID = '', groupID = '' } = JSON.parse(json) as Record<string, string | undefined>;
  return Buffer.from(JSON.stringify({ sendID, recvID, groupID })).toString('base64');
}

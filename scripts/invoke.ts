/**
 * `npm run invoke -- <command|configKey> [--url <webhook base URL>] [--body <file>] [--verbatim]`
 * Posts the sample from events/ (or --body) to a running server the way OpenIM does (POST to
 * <base>/<command>, JSON content type, operationID header, `?key=` for the commands OpenIM main
 * adds it to), prints the reply and where to see its effect. The sample's times are stamped with
 * the current time (audit retention and presence expiry count from the event's own time, so a
 * sample from the past would leave nothing to see); --verbatim sends the file as it is. The base URL
 * defaults to WEBHOOK_BASE_URL, else the local server's address from PORT/HOST and the secret kept
 * in DATA_DIR.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CALLBACK_COMMANDS, COMMAND_NAMES, type CallbackCommandName } from '#shared/openim/commands.ts';
import { reportFailure } from '../local/failure-line.ts';

/** The commands OpenIM main sends with `?key=` (contract §1). */
const KEYED_COMMANDS = new Set<string>([
  'callbackAfterSendSingleMsgCommand',
  'callbackAfterSendGroupMsgCommand',
  'callbackAfterMsgSaveDBCommand',
]);

try {
  await invoke();
} catch (error) {
  reportFailure('invoke', error);
  process.exit(1);
}

async function invoke(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, body: { type: 'string' }, verbatim: { type: 'boolean', default: false } },
  });

  const command = resolveCommand(positionals[0]);
  const base = (values.url ?? process.env.WEBHOOK_BASE_URL ?? localWebhookBase()).replace(/\/+$/, '');
  const file = readFileSync(values.body ?? join(import.meta.dirname, '..', 'events', `${command}.json`), 'utf8');
  const body = values.verbatim ? file : stampCurrentTimes(command, file, Date.now());
  const url = `${base}/${command}${KEYED_COMMANDS.has(command) ? `?key=${encodeURIComponent(routingKeyOf(body))}` : ''}`;

  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', operationID: randomUUID() },
    body,
  }).catch((error: Error) => {
    const cause = (error.cause as { code?: string } | undefined)?.code ?? error.message;
    process.stderr.write(`invoke: nothing answers at ${new URL(base).origin} (${cause}): start the server with \`npm start\`, or pass --url <webhook base URL>\n`);
    process.exit(1);
  });
  const reply = await response.text();
  process.stdout.write(`${command} (${CALLBACK_COMMANDS[command].mode}) -> HTTP ${response.status} in ${(performance.now() - started).toFixed(1)} ms\n${reply}\n`);
  const next = whereToLook(command, JSON.parse(body) as Record<string, unknown>, new URL(base).origin);
  if (next) process.stdout.write(`See it: ${next}\n`);
}

/**
 * The sample with today's times: message `sendTime`/`createTime`, and the `seq` of the presence
 * commands, which OpenIM fills with the event time in milliseconds.
 */
function stampCurrentTimes(name: CallbackCommandName, json: string, now: number): string {
  const event = JSON.parse(json) as Record<string, unknown>;
  if (typeof event.sendTime === 'number') event.sendTime = now;
  if (typeof event.createTime === 'number') event.createTime = now - 1;
  if (CALLBACK_COMMANDS[name].area === 'status' && typeof event.seq === 'number') event.seq = now;
  // As Go's encoder writes it: <, > and & escaped.
  return JSON.stringify(event).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/** The operator API request that shows the effect of an after-callback, with the local token if known. */
function whereToLook(name: CallbackCommandName, event: Record<string, unknown>, origin: string): string | undefined {
  const token = process.env.API_TOKEN ?? storedCredentials()?.apiToken ?? '<API_TOKEN>';
  const curl = (path: string) => `curl -H 'Authorization: Bearer ${token}' '${origin}${path}'`;
  if (CALLBACK_COMMANDS[name].area === 'status') return curl(`/api/presence/${encodeURIComponent(String(event.userID))}`);
  if (name === 'callbackAfterSendSingleMsgCommand' || name === 'callbackAfterSendGroupMsgCommand' || name === 'callbackAfterMsgSaveDBCommand') {
    return `${curl(`/api/audit?sendID=${encodeURIComponent(String(event.sendID))}`)}   (the audit writer takes a moment)`;
  }
  return undefined;
}

function storedCredentials(): { callbackSecret: string; apiToken: string } | undefined {
  const credentials = resolve(process.env.DATA_DIR ?? '.data', 'credentials.json');
  return existsSync(credentials) ? (JSON.parse(readFileSync(credentials, 'utf8')) as { callbackSecret: string; apiToken: string }) : undefined;
}

function resolveCommand(name: string | undefined): CallbackCommandName {
  const match = COMMAND_NAMES.find((candidate) => candidate === name || CALLBACK_COMMANDS[candidate].configKey === name);
  if (match) return match;
  const keys = COMMAND_NAMES.map((candidate) => CALLBACK_COMMANDS[candidate].configKey).sort();
  process.stderr.write(`usage: npm run invoke -- <configKey|command> [--verbatim] [--url <webhook base URL>] [--body <file>]\nconfig keys: ${keys.join(', ')}\n`);
  process.exit(2);
}

function localWebhookBase(): string {
  const secret = process.env.CALLBACK_SECRET ?? storedCredentials()?.callbackSecret;
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

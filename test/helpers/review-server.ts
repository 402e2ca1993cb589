/**
 * The moderator workflow over HTTP: the real local server (flag and block through the send
 * callbacks, the review worker, the operator API, the console) wired to the OpenIM admin stand-in.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conversationIdOf } from '#shared/openim/conversation-id.ts';
import { readEvent } from './events.ts';
import { startLocalServer, type RunningServer } from './local-server.ts';
import { startOpenImAdminStandIn, type OpenImAdminStandIn } from './openim-admin-stand-in.ts';

export const REVIEW_POLICY = { blocked: ['badword'], masked: [], flagged: ['wire transfer', 'crypto scam'], allowed: [] };

export interface ReviewRig {
  readonly server: RunningServer;
  readonly standIn: OpenImAdminStandIn;
  stop(): Promise<void>;
}

export async function startReviewRig(env: Record<string, string> = {}): Promise<ReviewRig> {
  const standIn = await startOpenImAdminStandIn();
  const policyFile = join(mkdtempSync(join(tmpdir(), 'review-policy-')), 'policy.json');
  writeFileSync(policyFile, JSON.stringify(REVIEW_POLICY));
  const server = await startLocalServer({
    ...standIn.env(),
    MODERATION_POLICY_FILE: policyFile,
    ...env,
  });
  return { server, standIn, stop: async () => void (await Promise.all([server.stop(), standIn.stop()])) };
}

let seq = 1000;

/** Sends a group message through beforeSendGroupMsg and, as OpenIM would, stores it with a seq. */
export async function sendGroupMessage(rig: ReviewRig, message: { text: string; sendID: string; groupID: string; clientMsgID: string }) {
  const sample = readEvent('callbackBeforeSendGroupMsgCommand') as Record<string, unknown>;
  const sendTime = Date.now();
  const body: Record<string, unknown> = { ...sample, sendID: message.sendID, groupID: message.groupID, clientMsgID: message.clientMsgID, sendTime, contentType: 101, content: JSON.stringify({ content: message.text }) };
  const response = await fetch(`${rig.server.webhookBase}/callbackBeforeSendGroupMsgCommand`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', operationID: `test-${message.clientMsgID}` },
    body: `${JSON.stringify(body)}\n`,
  });
  const reply = (await response.json()) as { errCode: number };
  const conversationID = conversationIdOf({ sessionType: body.sessionType as number, sendID: message.sendID, groupID: message.groupID });
  rig.standIn.addMessage({
    conversationID,
    seq: ++seq,
    clientMsgID: message.clientMsgID,
    serverMsgID: String(body.serverMsgID),
    sendID: message.sendID,
    recvID: message.groupID,
    sessionType: body.sessionType as number,
    contentType: 101,
    sendTime,
  });
  return { reply, conversationID, seq };
}

export async function api(rig: ReviewRig, method: string, path: string, body?: unknown, token = rig.server.apiToken) {
  const response = await fetch(`${rig.server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as any };
}

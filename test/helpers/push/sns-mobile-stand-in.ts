/**
 * A local stand-in for Amazon SNS mobile push, which fauxqs 1.9.2 does not implement (no platform
 * applications or endpoints). It speaks SNS's Query protocol as the SDK sends it (form-encoded
 * Action, XML answers): CreatePlatformEndpoint for a known application, and Publish to a created
 * endpoint with `MessageStructure=json` whose per-platform value is itself valid JSON. Tests can
 * disable an endpoint (the platform refused its token), fail publishes with InternalError (500), or
 * play a fault per publish (`faults`, provider-faults.ts): Throttled (429, as SNS answers it, with
 * no Retry-After), an answer lost after publishing, a connection reset before publishing.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attemptCounter, type FaultPlan } from './provider-faults.ts';

export interface SnsMobileStandIn {
  readonly endpoint: string;
  readonly apnsApplicationArn: string;
  readonly fcmApplicationArn: string;
  readonly published: { endpointArn: string; token: string; platform: 'APNS' | 'GCM'; payload: Record<string, any> }[];
  readonly problems: string[];
  /** Tokens whose endpoints are disabled. */
  readonly disabledTokens: Set<string>;
  /** Tokens whose publishes fail with InternalError (500) until cleared. */
  readonly failingTokens: Set<string>;
  close(): Promise<void>;
}

export interface SnsMobileStandInOptions {
  readonly faults?: FaultPlan;
}

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export async function startSnsMobileStandIn(options: SnsMobileStandInOptions = {}): Promise<SnsMobileStandIn> {
  const attemptOf = attemptCounter();
  const apnsApplicationArn = 'arn:aws:sns:us-east-1:000000000000:app/APNS/chat-ios';
  const fcmApplicationArn = 'arn:aws:sns:us-east-1:000000000000:app/GCM/chat-android';
  const endpoints = new Map<string, { token: string; platform: 'APNS' | 'GCM' }>();
  const state = {
    published: [] as SnsMobileStandIn['published'],
    problems: [] as string[],
    disabledTokens: new Set<string>(),
    failingTokens: new Set<string>(),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const xml = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/xml' }).end(body);
      const error = (code: string, message: string, problem?: string, status = 400) => {
        if (problem) state.problems.push(problem);
        const type = status >= 500 ? 'Receiver' : 'Sender';
        xml(status, `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
      };
      const action = form.get('Action');
      if (action === 'CreatePlatformEndpoint') {
        const application = form.get('PlatformApplicationArn');
        const token = form.get('Token') ?? '';
        const platform = application === apnsApplicationArn ? 'APNS' : application === fcmApplicationArn ? 'GCM' : undefined;
        if (!platform || !token) return error('InvalidParameter', 'Invalid parameter', `CreatePlatformEndpoint ${application} ${token}`);
        const arn = `arn:aws:sns:us-east-1:000000000000:endpoint/${platform}/${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
        endpoints.set(arn, { token, platform });
        return xml(200, `<CreatePlatformEndpointResponse xmlns="${NS}"><CreatePlatformEndpointResult><EndpointArn>${arn}</EndpointArn></CreatePlatformEndpointResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></CreatePlatformEndpointResponse>`);
      }
      if (action === 'Publish') {
        const endpointArn = form.get('TargetArn') ?? '';
        const endpoint = endpoints.get(endpointArn);
        if (!endpoint) return error('NotFound', 'Endpoint does not exist', `Publish to unknown ${endpointArn}`);
        if (state.disabledTokens.has(endpoint.token)) return error('EndpointDisabled', 'Endpoint is disabled');
        if (state.failingTokens.has(endpoint.token)) return error('InternalError', 'Internal error', undefined, 500);
        const fault = options.faults?.(endpoint.token, attemptOf(endpoint.token));
        if (fault?.kind === 'reset-before-accepting') return req.socket.destroy();
        if (fault?.kind === 'throttle') return error('Throttled', 'Rate exceeded', undefined, 429);
        if (form.get('MessageStructure') !== 'json') return error('InvalidParameter', 'Invalid parameter: MessageStructure', 'MessageStructure is not json');
        let payload: Record<string, any>;
        try {
          const message = JSON.parse(form.get('Message') ?? '') as Record<string, string>;
          if (typeof message.default !== 'string') throw new Error('no default');
          payload = JSON.parse(message[endpoint.platform] ?? '') as Record<string, any>;
          const valid = endpoint.platform === 'APNS' ? typeof payload.aps?.alert?.title === 'string' : typeof payload.fcmV1Message?.message?.notification?.title === 'string';
          if (!valid) throw new Error(`no notification in the ${endpoint.platform} payload`);
        } catch (problem) {
          return error('InvalidParameter', 'Invalid parameter: Message', `Message: ${(problem as Error).message}`);
        }
        state.published.push({ endpointArn, token: endpoint.token, platform: endpoint.platform, payload });
        if (fault?.kind === 'reset-after-accepting') return req.socket.destroy();
        if (fault?.kind === 'hang-after-accepting') return;
        return xml(200, `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>m${state.published.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`);
      }
      error('InvalidAction', 'Unknown action', `unexpected Action ${action}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apnsApplicationArn,
    fcmApplicationArn,
    ...state,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

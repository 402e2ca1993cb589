/**
 * OpenIM's admin APIs where a synthesized app expects them. When the app gives its functions
 * OpenIM's secrets (OPENIM_SECRET, the chat admin's login), those secrets get the stand-in's
 * values, and the stand-in's core and chat APIs are forwarded from the internal load balancer's
 * address and ports (10002, 10009) as the app composes OPENIM_API_URL and OPENIM_CHAT_API_URL.
 */
import { createServer, connect, type Server } from 'node:net';
import { OPENIM_ADMIN_PORTS } from '../../../infra/stacks/network-stack.ts';
import {
  STAND_IN_CHAT_ACCOUNT,
  STAND_IN_CHAT_PASSWORD,
  STAND_IN_SECRET,
  startOpenImAdminStandIn,
  type OpenImAdminStandIn,
} from '../../helpers/openim-admin-stand-in.ts';
import type { CloudAssembly } from './cloud-assembly.ts';

export interface OpenImBehindLoadBalancer {
  readonly standIn: OpenImAdminStandIn;
  stop(): Promise<void>;
}

/** Undefined when no function of the app is given OpenIM's secret. */
export async function openImBehindLoadBalancer(assembly: CloudAssembly): Promise<OpenImBehindLoadBalancer | undefined> {
  const references = assembly.resourcesOfType('AWS::Lambda::Function').map(({ stack, resource }) => {
    const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const secretOf = (name: string) => (variables[name] === undefined ? undefined : assembly.secretReferenceOf(stack, variables[name]));
    return { share: secretOf('OPENIM_SECRET'), chatAdmin: secretOf('OPENIM_CHAT_ADMIN_ACCOUNT') };
  });
  const share = references.find((reference) => reference.share)?.share;
  if (!share) return undefined;
  assembly.setSecretValue(share, STAND_IN_SECRET);
  const chatAdmin = references.find((reference) => reference.chatAdmin)?.chatAdmin;
  if (chatAdmin) assembly.setSecretValue(chatAdmin, JSON.stringify({ account: STAND_IN_CHAT_ACCOUNT, password: STAND_IN_CHAT_PASSWORD }));

  const standIn = await startOpenImAdminStandIn();
  const forwarders = [
    await forward(assembly.loadBalancerAddress, OPENIM_ADMIN_PORTS.api, new URL(standIn.coreUrl)),
    await forward(assembly.loadBalancerAddress, OPENIM_ADMIN_PORTS.chatAdmin, new URL(standIn.chatUrl)),
  ];
  return {
    standIn,
    async stop() {
      await Promise.all(forwarders.map((server) => new Promise((resolve) => server.close(resolve))));
      await standIn.stop();
    },
  };
}

function forward(host: string, port: number, target: URL): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** SNS and SQS on loopback (fauxqs), with the chat-events topic, for tests that publish. */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { buildApp } from 'fauxqs';

export interface MessagingStandIn {
  readonly endpoint: string;
  readonly chatEventsTopicArn: string;
  stop(): Promise<void>;
}

export async function startMessaging(): Promise<MessagingStandIn> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
  const sns = new SNSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'chat-events' }));
  sns.destroy();
  return { endpoint, chatEventsTopicArn: TopicArn!, stop: () => app.close() };
}

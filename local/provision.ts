/**
 * Creates the messaging resources in the local stand-ins, through the same SDK calls an operator
 * could use, from the topology the CDK app also reads. Safe to run on every start (idempotent).
 */
import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CHAT_EVENTS_TOPIC_NAME } from '#shared/events/topology.ts';

export interface LocalResources {
  readonly chatEventsTopicArn: string;
}

export async function provisionLocalResources(sns: SNSClient): Promise<LocalResources> {
  const topic = await sns.send(new CreateTopicCommand({ Name: CHAT_EVENTS_TOPIC_NAME }));
  if (!topic.TopicArn) throw new Error(`fauxqs did not return an ARN for topic ${CHAT_EVENTS_TOPIC_NAME}`);
  return { chatEventsTopicArn: topic.TopicArn };
}

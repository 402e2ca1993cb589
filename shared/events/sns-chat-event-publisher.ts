/** Publishes chat events to the SNS `chat-events` topic (fauxqs locally). */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CHAT_EVENT_ATTRIBUTES, type ChatEvent } from './chat-event.ts';
import type { ChatEventPublisher } from './chat-event-publisher.ts';

export class SnsChatEventPublisher implements ChatEventPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(event: ChatEvent): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: {
          [CHAT_EVENT_ATTRIBUTES.eventType]: { DataType: 'String', StringValue: event.eventType },
          [CHAT_EVENT_ATTRIBUTES.valid]: { DataType: 'String', StringValue: String(event.valid) },
        },
      }),
    );
  }
}

/**
 * Names of the messaging resources, shared by the CDK app and the local provisioning so that
 * both build the same topology.
 */
export const CHAT_EVENTS_TOPIC_NAME = 'chat-events';

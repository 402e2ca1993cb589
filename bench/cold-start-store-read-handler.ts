/**
 * bench:cold-start's second reference: the minimal handler plus what any function that reads a store
 * at init starts while importing, one HTTPS request over a keep-alive agent to its region's DynamoDB
 * endpoint, as the before-callback's policy read does (shared/aws/signed-aws-service.ts). Its answer
 * is never awaited: the bench's process exits once the import is over.
 */
import { Agent, request } from 'node:https';

request(`https://dynamodb.${process.env.AWS_REGION}.amazonaws.com/`, { method: 'POST', agent: new Agent({ keepAlive: true }) })
  .on('error', () => undefined)
  .end('{}');

export const handler = async () => ({ statusCode: 200, body: '{}' });

/** Reads what callback handlers need from an API Gateway (REST) proxy event, the same locally and in AWS. */
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** Header names are case-insensitive; API Gateway keeps the sender's case, Node lowercases. */
export function headerOf(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const headers = event.headers ?? {};
  const wanted = name.toLowerCase();
  // As Node or the sender (OpenIM: `operationID`) wrote it: found without a pass over every header.
  const asWritten = headers[wanted] ?? headers[name];
  if (asWritten !== undefined) return asWritten;
  for (const key in headers) {
    if (key.toLowerCase() === wanted && headers[key] !== undefined) return headers[key];
  }
  return undefined;
}

export function bodyText(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): string {
  if (event.body === null || event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/**
 * The callbackCommand: the `{command}` path parameter, or the last segment of the resource when
 * API Gateway routes a command on a fixed path (`/openim/{secret}/callbackAfter...Command`).
 */
export function callbackCommandOf(event: Pick<APIGatewayProxyEvent, 'pathParameters' | 'resource'>): string {
  return event.pathParameters?.command ?? event.resource?.split('/').pop() ?? '';
}

/** OpenIM sends the operationID as a header on every callback and in most bodies. */
export function operationIdOf(event: Pick<APIGatewayProxyEvent, 'headers'>): string {
  return headerOf(event, 'operationID') ?? '';
}

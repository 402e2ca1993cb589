/** API Gateway's own answers as the synthesized template has them, rendered as API Gateway would. */
import type { Template } from 'aws-cdk-lib/assertions';
import { GATEWAY_RESPONSE_STATUS } from '../../infra/constructs/gateway-error-bodies.ts';

export interface RenderedGatewayResponse {
  readonly type: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

/** `$context.error.messageString` is the message already quoted, as API Gateway substitutes it. */
export function renderGatewayResponses(template: Template, message: string): RenderedGatewayResponse[] {
  return Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map(({ Properties: p }) => ({
    type: p.ResponseType as string,
    status: Number(p.StatusCode),
    contentType: String(p.ResponseParameters['gatewayresponse.header.Content-Type']).replaceAll("'", ''),
    body: JSON.parse(String(p.ResponseTemplates['application/json']).replace('$context.error.messageString', JSON.stringify(message))),
  }));
}

export const EVERY_GATEWAY_RESPONSE_TYPE = [...GATEWAY_RESPONSE_STATUS.keys()].map((type) => type.responseType).sort();

/**
 * What API Gateway answers by itself (no token, throttled, body too large, integration timed out,
 * ...) in the shape the API's callers read: OpenIM's reply JSON on the callbacks API, whose client
 * decodes every body whatever its status (openimsdk/tools' http client checks no status), and an
 * RFC 9457 problem on the operator API. Without these, API Gateway sends `{"message": "..."}`.
 * The bodies come from the same builders the handlers use, so the shapes cannot drift.
 */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { PROBLEM_CONTENT_TYPE, problemOf } from '#shared/api/problem.ts';
import { undecidedReply } from '#shared/openim/replies.ts';

/** Every response type API Gateway documents, with the status it sends for it. */
export const GATEWAY_RESPONSE_STATUS: ReadonlyMap<apigateway.ResponseType, number> = new Map([
  [apigateway.ResponseType.ACCESS_DENIED, 403],
  [apigateway.ResponseType.API_CONFIGURATION_ERROR, 500],
  [apigateway.ResponseType.AUTHORIZER_CONFIGURATION_ERROR, 500],
  [apigateway.ResponseType.AUTHORIZER_FAILURE, 500],
  [apigateway.ResponseType.BAD_REQUEST_PARAMETERS, 400],
  [apigateway.ResponseType.BAD_REQUEST_BODY, 400],
  [apigateway.ResponseType.EXPIRED_TOKEN, 403],
  [apigateway.ResponseType.INTEGRATION_FAILURE, 504],
  [apigateway.ResponseType.INTEGRATION_TIMEOUT, 504],
  [apigateway.ResponseType.INVALID_API_KEY, 403],
  [apigateway.ResponseType.INVALID_SIGNATURE, 403],
  [apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, 403],
  [apigateway.ResponseType.QUOTA_EXCEEDED, 429],
  [apigateway.ResponseType.REQUEST_TOO_LARGE, 413],
  [apigateway.ResponseType.RESOURCE_NOT_FOUND, 404],
  [apigateway.ResponseType.THROTTLED, 429],
  [apigateway.ResponseType.UNAUTHORIZED, 401],
  [apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE, 415],
  [apigateway.ResponseType.WAF_FILTERED, 403],
  // The two catch-alls get a fixed status, so that the body's `status` is the one sent.
  [apigateway.ResponseType.DEFAULT_4XX, 400],
  [apigateway.ResponseType.DEFAULT_5XX, 500],
]);

/** Stands in for API Gateway's message in a builder's output; replaced by its quoted form. */
const MESSAGE_MARK = '\u0000gateway-message\u0000';
const MESSAGE_VARIABLE = '$context.error.messageString';

function templateOf(body: object): string {
  const json = JSON.stringify(body);
  const marked = JSON.stringify(MESSAGE_MARK);
  if (!json.includes(marked)) throw new Error('the reply builder dropped the gateway message');
  return json.replace(marked, MESSAGE_VARIABLE);
}

function addAll(api: apigateway.RestApi, contentType: string, bodyFor: (status: number) => object): void {
  for (const [type, status] of GATEWAY_RESPONSE_STATUS) {
    api.addGatewayResponse(`GatewayResponse${type.responseType}`, {
      type,
      statusCode: String(status),
      // Keyed by application/json, the template API Gateway falls back to whatever the caller accepts.
      templates: { 'application/json': templateOf(bodyFor(status)) },
      responseHeaders: { 'Content-Type': `'${contentType}'` },
    });
  }
}

/** Callbacks API: OpenIM decodes the body as a continue that changes nothing, plus why. */
export function answerGatewayErrorsAsOpenimReplies(api: apigateway.RestApi): void {
  addAll(api, 'application/json', () => undecidedReply(MESSAGE_MARK));
}

/** Operator API: an RFC 9457 problem, as every handler error is. */
export function answerGatewayErrorsAsProblems(api: apigateway.RestApi): void {
  addAll(api, PROBLEM_CONTENT_TYPE, (status) => problemOf(status, MESSAGE_MARK));
}

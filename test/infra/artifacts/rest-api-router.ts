/**
 * API Gateway REST routing, read from a synthesized template: the resource tree
 * (AWS::ApiGateway::Resource), its methods and their AWS_PROXY integrations. A request is matched
 * as API Gateway does (a literal path part before `{param}`, `{proxy+}` taking the rest, `ANY` after
 * the exact method) and becomes the proxy event the integrated function receives, with the
 * resource path and path parameters, so the bundles see what they will see in AWS; what the
 * authorizer adds is api-gateway-front-door.ts's to decide. Which function a route reaches is the
 * template's, not the test's, choice.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { StackTemplate } from './cloud-assembly.ts';

interface ApiResource {
  readonly logicalId: string;
  readonly parent: string | undefined;
  readonly pathPart: string;
}

export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
}

export interface RoutedRequest {
  /** Logical ID of the function the integration invokes (an alias's function for an alias). */
  readonly functionLogicalId: string;
  /** The method's properties (authorization type, authorizer). */
  readonly method: Readonly<Record<string, unknown>>;
  readonly event: APIGatewayProxyEvent;
}

export function routeRequest(stack: StackTemplate, apiLogicalId: string, request: RestRequest): RoutedRequest {
  const resources = Object.entries(stack.resources)
    .filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Resource' && refOf(resource.Properties?.RestApiId) === apiLogicalId)
    .map(([logicalId, resource]): ApiResource => ({ logicalId, parent: refOf(resource.Properties?.ParentId), pathPart: String(resource.Properties?.PathPart) }));
  const segments = request.path.split('/').filter(Boolean);
  const match = matchPath(resources, undefined, segments, {});
  if (!match) throw new Error(`no resource of ${apiLogicalId} matches ${request.path}`);
  const methods = Object.values(stack.resources).filter(
    (resource) => resource.Type === 'AWS::ApiGateway::Method' && refOf(resource.Properties?.ResourceId) === match.resource.logicalId,
  );
  const method = methods.find((m) => m.Properties?.HttpMethod === request.method) ?? methods.find((m) => m.Properties?.HttpMethod === 'ANY');
  if (!method) throw new Error(`${match.path} has no ${request.method} method`);
  const integration = method.Properties?.Integration as { Type: string; Uri: unknown };
  if (integration.Type !== 'AWS_PROXY') throw new Error(`${request.method} ${match.path} is a ${integration.Type} integration, not a Lambda proxy`);
  const query = request.query && Object.keys(request.query).length > 0 ? request.query : null;
  return {
    functionLogicalId: functionOf(stack, integration.Uri),
    method: method.Properties ?? {},
    event: {
      resource: match.path,
      path: request.path,
      httpMethod: request.method,
      headers: request.headers ?? {},
      multiValueHeaders: Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name, [value]])),
      queryStringParameters: query,
      multiValueQueryStringParameters: query && Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])),
      pathParameters: Object.keys(match.parameters).length > 0 ? match.parameters : null,
      stageVariables: null,
      body: request.body ?? null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: apiLogicalId.toLowerCase(),
        authorizer: null,
        protocol: 'HTTP/1.1',
        httpMethod: request.method,
        identity: { sourceIp: '10.0.0.1' } as APIGatewayProxyEvent['requestContext']['identity'],
        path: request.path,
        stage: 'dev',
        requestId: randomUUID(),
        requestTimeEpoch: Date.now(),
        resourceId: match.resource.logicalId,
        resourcePath: match.path,
      },
    },
  };
}

interface PathMatch {
  readonly resource: ApiResource;
  readonly path: string;
  readonly parameters: Record<string, string>;
}

function matchPath(resources: readonly ApiResource[], parent: string | undefined, segments: readonly string[], parameters: Record<string, string>, prefix = ''): PathMatch | undefined {
  const [segment, ...rest] = segments;
  if (segment === undefined) return undefined;
  const children = resources.filter((resource) => resource.parent === parent);
  // Literal parts first, then {param}, then {proxy+}: API Gateway prefers the most specific.
  const ordered = [
    ...children.filter((child) => !child.pathPart.startsWith('{')),
    ...children.filter((child) => child.pathPart.startsWith('{') && !child.pathPart.endsWith('+}')),
    ...children.filter((child) => child.pathPart.endsWith('+}')),
  ];
  for (const child of ordered) {
    const path = `${prefix}/${child.pathPart}`;
    if (child.pathPart.endsWith('+}')) return { resource: child, path, parameters: { ...parameters, [child.pathPart.slice(1, -2)]: segments.join('/') } };
    const isParameter = child.pathPart.startsWith('{');
    if (!isParameter && child.pathPart !== segment) continue;
    const bound = isParameter ? { ...parameters, [child.pathPart.slice(1, -1)]: segment } : parameters;
    if (rest.length === 0) return { resource: child, path, parameters: bound };
    const deeper = matchPath(resources, child.logicalId, rest, bound, path);
    if (deeper) return deeper;
  }
  return undefined;
}

/** The root resource's children have a GetAtt RootResourceId parent; it reads as undefined here. */
function refOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && 'Ref' in value ? String((value as { Ref: string }).Ref) : undefined;
}

/** The function (or alias's function) a `.../functions/<arn>/invocations` URI names. */
function functionOf(stack: StackTemplate, uri: unknown): string {
  const parts = ((uri as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1] ?? []) as unknown[];
  for (const part of parts) {
    if (typeof part !== 'object' || part === null) continue;
    const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt) return getAtt[0];
    const ref = refOf(part);
    const target = ref ? stack.resources[ref] : undefined;
    if (target?.Type === 'AWS::Lambda::Alias') return refOf(target.Properties?.FunctionName)!;
  }
  throw new Error(`integration URI names no function of ${stack.stackName}: ${JSON.stringify(uri)}`);
}

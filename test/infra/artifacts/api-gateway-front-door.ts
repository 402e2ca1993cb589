/**
 * What API Gateway decides before a request reaches an integration, read from the synthesized
 * template: the API's resource policy (private APIs admit only their VPC endpoint) and the
 * method's authorization type. A Cognito method admits only a token of the user pool its
 * authorizer names and hands the token's claims on; an IAM method admits only a SigV4-signed
 * caller whose identity policy allows `execute-api:Invoke` on the method's ARN, and hands on the
 * caller's identity. Refusals carry the status and body API Gateway answers with, and nothing
 * is invoked.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LOCAL_ACCOUNT, LOCAL_REGION, type CloudAssembly, type StackTemplate } from './cloud-assembly.ts';
import { evaluate, type PolicyStatement } from './iam-evaluator.ts';

/** Who sends the request, as API Gateway can tell. */
export type Caller =
  | { readonly kind: 'anonymous' }
  /** A valid ID token issued by the user pool with this logical ID. */
  | { readonly kind: 'cognito'; readonly userPoolLogicalId: string; readonly claims: Readonly<Record<string, string>> }
  /** A SigV4-signed request by `principalArn`, whose identity policies hold `statements`. */
  | { readonly kind: 'iam'; readonly principalArn: string; readonly statements: readonly PolicyStatement[] };

export const ANONYMOUS: Caller = { kind: 'anonymous' };

export interface FrontDoorRequest {
  readonly method: string;
  readonly path: string;
  readonly caller?: Caller;
  /** The interface endpoint the request came through, for a private API. */
  readonly sourceVpce?: string;
}

export type Admission =
  | { readonly admitted: true; readonly requestContext: Pick<APIGatewayProxyEvent['requestContext'], 'authorizer' | 'identity'> }
  | { readonly admitted: false; readonly status: number; readonly body: { message: string } };

export function admit(assembly: CloudAssembly, stack: StackTemplate, apiLogicalId: string, method: Readonly<Record<string, unknown>>, request: FrontDoorRequest): Admission {
  const caller = request.caller ?? ANONYMOUS;
  const api = stack.resources[apiLogicalId]!.Properties ?? {};
  const apiId = assembly.physicalId(stack, apiLogicalId);
  const stageName = stageOf(stack, apiLogicalId);
  const methodArn = `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${apiId}/${stageName}/${request.method}${request.path}`;
  const principal = caller.kind === 'iam' ? caller.principalArn : 'anonymous';
  const refuse = (status: number, message: string): Admission => ({ admitted: false, status, body: { message } });

  const isPrivate = ((api.EndpointConfiguration as { Types?: string[] } | undefined)?.Types ?? []).includes('PRIVATE');
  let allowedByResourcePolicy = false;
  if (api.Policy !== undefined || isPrivate) {
    // API Gateway reads `execute-api:/...` in a resource policy as this API's own ARN prefix.
    const statements = ((assembly.resolve(stack, api.Policy ?? { Statement: [] }) as { Statement: PolicyStatement[] }).Statement ?? []).map((statement) => ({
      ...statement,
      Resource: [statement.Resource ?? []].flat().map((resource) => resource.replace(/^execute-api:\//, `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${apiId}/`)),
    }));
    const decision = evaluate(statements, 'execute-api:Invoke', methodArn, request.sourceVpce ? { 'aws:SourceVpce': request.sourceVpce } : {});
    if (decision.statement?.Effect === 'Deny') return refuse(403, `User: ${principal} is not authorized to perform: execute-api:Invoke on resource: ${methodArn} with an explicit deny`);
    allowedByResourcePolicy = decision.allowed;
    // A private API without an allowing resource policy admits nobody.
    if (isPrivate && !allowedByResourcePolicy) return refuse(403, `User: ${principal} is not authorized to perform: execute-api:Invoke on resource: ${methodArn}`);
  }

  const identity = {
    sourceIp: '10.0.0.1',
    ...(request.sourceVpce ? { vpceId: request.sourceVpce } : {}),
  } as APIGatewayProxyEvent['requestContext']['identity'];
  switch (String(method.AuthorizationType ?? 'NONE')) {
    case 'NONE':
      return { admitted: true, requestContext: { authorizer: null, identity } };
    case 'COGNITO_USER_POOLS': {
      const authorizer = stack.resources[(method.AuthorizerId as { Ref?: string } | undefined)?.Ref ?? '']?.Properties as { Type?: string; ProviderARNs?: unknown[] } | undefined;
      const pools = (authorizer?.ProviderARNs ?? []).map((arn) => (arn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0]);
      if (authorizer?.Type !== 'COGNITO_USER_POOLS') throw new Error(`${request.method} ${request.path}: a Cognito method without a Cognito authorizer`);
      if (caller.kind !== 'cognito' || !pools.includes(caller.userPoolLogicalId)) return refuse(401, 'Unauthorized');
      return { admitted: true, requestContext: { authorizer: { claims: caller.claims }, identity } };
    }
    case 'AWS_IAM': {
      if (caller.kind !== 'iam') return refuse(403, 'Missing Authentication Token');
      if (!allowedByResourcePolicy && !evaluate(caller.statements, 'execute-api:Invoke', methodArn).allowed) {
        return refuse(403, `User: ${caller.principalArn} is not authorized to perform: execute-api:Invoke on resource: ${methodArn}`);
      }
      const [, , , , accountId = LOCAL_ACCOUNT] = caller.principalArn.split(':');
      return {
        admitted: true,
        requestContext: {
          authorizer: null,
          identity: { ...identity, userArn: caller.principalArn, caller: caller.principalArn, user: caller.principalArn.split('/').at(-1)!, accountId, accessKey: 'ASIALOCALOPERATOR' },
        },
      };
    }
    default:
      throw new Error(`${request.method} ${request.path}: authorization type ${String(method.AuthorizationType)} is not modelled`);
  }
}

/** The stage name of the API's deployment stage in the template. */
function stageOf(stack: StackTemplate, apiLogicalId: string): string {
  const stage = Object.values(stack.resources).find((resource) => resource.Type === 'AWS::ApiGateway::Stage' && (resource.Properties?.RestApiId as { Ref?: string }).Ref === apiLogicalId);
  if (!stage) throw new Error(`${stack.stackName}/${apiLogicalId} has no stage`);
  return String(stage.Properties?.StageName);
}

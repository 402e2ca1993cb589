/**
 * Reads a synthesized cloud assembly (the directory `cdk synth` writes) the way CloudFormation
 * would deploy it here: every value of every template is resolved against local stand-ins.
 * Physical names are the template's own (TableName, TopicName, QueueName...) or, where it leaves
 * them to CloudFormation, `<stack>-<logical ID>` as CloudFormation would generate them; ARNs use
 * fauxqs' account and region; `{{resolve:secretsmanager:...}}` references get the stand-in
 * secrets' values. An intrinsic this reader does not know fails loudly, naming where it is.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** fauxqs' account and region (its ARNs carry them). */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface StackTemplate {
  readonly stackName: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly outputs: Readonly<Record<string, { Value: unknown; Export?: { Name: string } }>>;
}

/** A secret's value by ARN, for dynamic references. */
export type SecretValues = Map<string, string>;

export class CloudAssembly {
  readonly stacks: readonly StackTemplate[];
  /** Values of the stand-in secrets, generated once per assembly (as GenerateSecretString would). */
  readonly secretValues: SecretValues = new Map();
  /** Attributes the stand-ins decide at run time (a queue's URL), by "<stack>/<logical ID>.<attribute>". */
  readonly runtimeAttributes = new Map<string, string>();
  /**
   * Where load balancers' DNS names point: a loopback address of this assembly's own, so a test
   * can listen on the ports the app composes with them (OpenIM's 10002 and 10009) without clashes.
   */
  readonly loadBalancerAddress = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

  constructor(readonly directory: string) {
    this.stacks = readdirSync(directory)
      .filter((name) => name.endsWith('.template.json'))
      .map((name) => {
        const template = JSON.parse(readFileSync(join(directory, name), 'utf8')) as { Resources?: StackTemplate['resources']; Outputs?: StackTemplate['outputs'] };
        return { stackName: name.slice(0, -'.template.json'.length), resources: template.Resources ?? {}, outputs: template.Outputs ?? {} };
      });
    for (const stack of this.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.resources)) {
        if (resource.Type === 'AWS::SecretsManager::Secret') this.secretValues.set(this.physicalId(stack, logicalId), generatedSecret(resource.Properties ?? {}));
      }
    }
  }

  stack(name: string): StackTemplate {
    const found = this.stacks.find((stack) => stack.stackName === name);
    if (!found) throw new Error(`no stack ${name} in ${this.directory}`);
    return found;
  }

  /** Every resource of a type, with its stack. */
  resourcesOfType(type: string): { stack: StackTemplate; logicalId: string; resource: TemplateResource }[] {
    return this.stacks.flatMap((stack) =>
      Object.entries(stack.resources)
        .filter(([, resource]) => resource.Type === type)
        .map(([logicalId, resource]) => ({ stack, logicalId, resource })),
    );
  }

  /** The ID (ARN or name) of the secret a value refers to with `{{resolve:secretsmanager:...}}`, if it does. */
  secretReferenceOf(stack: StackTemplate, value: unknown): string | undefined {
    this.keepDynamicReferences = true;
    try {
      return /\{\{resolve:secretsmanager:(.+?):SecretString:/.exec(this.resolveString(stack, value))?.[1];
    } finally {
      this.keepDynamicReferences = false;
    }
  }

  private keepDynamicReferences = false;

  /** A template value with every intrinsic resolved, then (as CloudFormation does) its dynamic references. */
  resolve(stack: StackTemplate, value: unknown, where = stack.stackName): unknown {
    const resolved = this.resolveIntrinsics(stack, value, where);
    return this.keepDynamicReferences ? resolved : this.resolveDynamicReferencesIn(resolved);
  }

  private resolveIntrinsics(stack: StackTemplate, value: unknown, where: string): unknown {
    if (Array.isArray(value)) return value.map((item, index) => this.resolveIntrinsics(stack, item, `${where}[${index}]`));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) return this.intrinsic(stack, key, argument, where);
    return Object.fromEntries(entries.map(([name, item]) => [name, this.resolveIntrinsics(stack, item, `${where}.${name}`)]));
  }

  private resolveDynamicReferencesIn(value: unknown): unknown {
    if (typeof value === 'string') return this.resolveDynamicReferences(value);
    if (Array.isArray(value)) return value.map((item) => this.resolveDynamicReferencesIn(item));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, this.resolveDynamicReferencesIn(item)]));
  }

  resolveString(stack: StackTemplate, value: unknown, where?: string): string {
    const resolved = this.resolve(stack, value, where);
    if (typeof resolved !== 'string') throw new Error(`${where ?? stack.stackName} resolves to ${JSON.stringify(resolved)}, not a string`);
    return resolved;
  }

  /** What `Ref` gives for a resource. */
  physicalId(stack: StackTemplate, logicalId: string): string {
    const resource = stack.resources[logicalId];
    if (!resource) throw new Error(`${stack.stackName} has no resource ${logicalId}`);
    const props = resource.Properties ?? {};
    const named = (key: string) => (props[key] === undefined ? `${stack.stackName}-${logicalId}` : this.resolveString(stack, props[key]));
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        return named('TableName');
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${named('TopicName')}`;
      case 'AWS::SQS::Queue':
        return this.runtime(stack, logicalId, 'QueueUrl');
      case 'AWS::S3::Bucket':
        return named('BucketName').toLowerCase();
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${named('Name')}-local`;
      case 'AWS::ApiGateway::Stage':
        return named('StageName');
      default:
        return `${stack.stackName}-${logicalId}`;
    }
  }

  /** What `Fn::GetAtt` gives. */
  attribute(stack: StackTemplate, logicalId: string, name: string): string {
    const resource = stack.resources[logicalId];
    if (!resource) throw new Error(`${stack.stackName} has no resource ${logicalId}`);
    const props = resource.Properties ?? {};
    const id = () => this.physicalId(stack, logicalId);
    switch (`${resource.Type}.${name}`) {
      case 'AWS::DynamoDB::Table.Arn':
        return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${id()}`;
      case 'AWS::SNS::Topic.TopicArn':
        return id();
      case 'AWS::SQS::Queue.Arn':
        return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${props.QueueName === undefined ? `${stack.stackName}-${logicalId}` : this.resolveString(stack, props.QueueName)}`;
      case 'AWS::SQS::Queue.QueueName':
        return this.attribute(stack, logicalId, 'Arn').split(':').at(-1)!;
      case 'AWS::S3::Bucket.Arn':
        return `arn:aws:s3:::${id()}`;
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${id()}`;
      case 'AWS::EC2::VPC.CidrBlock':
        return this.resolveString(stack, props.CidrBlock);
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName':
        return this.loadBalancerAddress;
      default:
        return this.runtime(stack, logicalId, name);
    }
  }

  private runtime(stack: StackTemplate, logicalId: string, name: string): string {
    const value = this.runtimeAttributes.get(`${stack.stackName}/${logicalId}.${name}`);
    if (value === undefined) throw new Error(`${stack.stackName}/${logicalId} (${stack.resources[logicalId]?.Type}).${name} has no local value`);
    return value;
  }

  private intrinsic(stack: StackTemplate, key: string, argument: unknown, where: string): unknown {
    switch (key) {
      case 'Ref':
        return this.ref(stack, argument as string);
      case 'Fn::GetAtt': {
        const [logicalId, name] = Array.isArray(argument) ? argument : String(argument).split('.');
        return this.attribute(stack, String(logicalId), String(name));
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (this.resolveIntrinsics(stack, parts, where) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>]) : [argument as string, {}];
        return text.replace(/\$\{([^}!]+)\}/g, (_match, name: string) => {
          if (name in variables) return String(this.resolveIntrinsics(stack, variables[name], where));
          const [logicalId, attribute] = name.split('.');
          return attribute ? this.attribute(stack, logicalId!, attribute) : this.ref(stack, name);
        });
      }
      case 'Fn::ImportValue':
        return this.importValue(String(this.resolveIntrinsics(stack, argument, where)));
      case 'Fn::Select': {
        const [index, list] = argument as [number, unknown];
        return (this.resolveIntrinsics(stack, list, where) as unknown[])[Number(index)];
      }
      case 'Fn::Split': {
        const [separator, text] = argument as [string, unknown];
        return String(this.resolveIntrinsics(stack, text, where)).split(separator);
      }
      default:
        throw new Error(`${where}: ${key} is not resolved locally`);
    }
  }

  private ref(stack: StackTemplate, name: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': LOCAL_REGION,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack.stackName,
    };
    return pseudo[name] ?? this.physicalId(stack, name);
  }

  private importValue(exportName: string): unknown {
    for (const stack of this.stacks) {
      for (const output of Object.values(stack.outputs)) {
        if (output.Export?.Name === exportName) return this.resolveIntrinsics(stack, output.Value, `${stack.stackName} export ${exportName}`);
      }
    }
    throw new Error(`no stack exports ${exportName}`);
  }

  /** Gives the secret named `idOrName` (its ARN, or its name) a value of the test's choosing. */
  setSecretValue(idOrName: string, value: string): void {
    const arn = [...this.secretValues.keys()].find((key) => key === idOrName || key.includes(`:secret:${idOrName}-`)) ?? idOrName;
    this.secretValues.set(arn, value);
  }

  /** `{{resolve:secretsmanager:<id>:SecretString:<json key>:...}}`, as CloudFormation fills it in at deploy time. */
  private resolveDynamicReferences(text: string): string {
    return text.replace(/\{\{resolve:secretsmanager:(.+?):SecretString:([^:}]*)(?::[^}]*)?\}\}/g, (_match, id: string, jsonKey: string) => {
      const value = this.secretValues.get(id) ?? [...this.secretValues].find(([arn]) => arn.includes(`:secret:${id}-`))?.[1];
      if (value === undefined) throw new Error(`no stand-in secret ${id}`);
      return jsonKey ? String((JSON.parse(value) as Record<string, unknown>)[jsonKey]) : value;
    });
  }
}

/** What GenerateSecretString would make: a random string, or the template's JSON with it under GenerateStringKey. */
function generatedSecret(props: Record<string, unknown>): string {
  const generate = props.GenerateSecretString as { SecretStringTemplate?: string; GenerateStringKey?: string } | undefined;
  if (typeof props.SecretString === 'string') return props.SecretString;
  const random = randomBytes(24).toString('hex');
  if (!generate?.SecretStringTemplate || !generate.GenerateStringKey) return random;
  return JSON.stringify({ ...(JSON.parse(generate.SecretStringTemplate) as object), [generate.GenerateStringKey]: random });
}

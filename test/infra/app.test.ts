import { App, type Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type OpenimHooksApp } from '../../infra/build-app.ts';
import { readStageConfig, StageConfigError } from '../../infra/config/stage-config.ts';
import { appWithoutBundling } from './helpers.ts';

function stacksOf(built: OpenimHooksApp): Stack[] {
  return Object.values(built).filter((stack): stack is Stack => stack !== undefined);
}

/**
 * Each stack's annotations, read once (every read synthesizes the stack again) and with a turn of the
 * event loop between stacks, so that vitest's worker keeps answering its own RPC during the minutes
 * cdk-nag's findings take on two cores.
 */
async function annotationsOf(stacks: readonly Stack[]): Promise<Annotations[]> {
  const annotations: Annotations[] = [];
  for (const stack of stacks) {
    annotations.push(Annotations.fromStack(stack));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return annotations;
}

/** Error annotations cdk-nag left unsuppressed, as "path: message" lines. */
function nagErrors(annotations: readonly Annotations[]): string[] {
  return annotations.flatMap((found) =>
    found.findError('*', Match.stringLikeRegexp('AwsSolutions-')).map((finding) => `${finding.id}: ${String(finding.entry.data).split(':')[0]}`),
  );
}

/** Rules cdk-nag could not evaluate (intrinsics) and nobody acknowledged. */
function nagValidationFailures(annotations: readonly Annotations[]): string[] {
  return annotations.flatMap((found) => found.findWarning('*', Match.stringLikeRegexp('CdkNagValidationFailure')).map((finding) => finding.id));
}

// The bundles themselves are synthesized, loaded and run by artifacts.test.ts.
describe('App: openim-hooks (default context)', () => {
  let built: OpenimHooksApp;
  let annotations: Annotations[];

  beforeAll(async () => {
    const app = appWithoutBundling();
    built = buildApp(app, readStageConfig(app.node));
    app.synth();
    annotations = await annotationsOf(stacksOf(built));
  }, 300_000);

  it('synthesises every stack, OpenIM included, for the dev stage', () => {
    expect(stacksOf(built).map((s) => s.stackName).sort()).toEqual([
      'OpenimHooks-dev-callbacks',
      'OpenimHooks-dev-data',
      'OpenimHooks-dev-messaging',
      'OpenimHooks-dev-network',
      'OpenimHooks-dev-observability',
      'OpenimHooks-dev-openim',
      'OpenimHooks-dev-operator',
    ]);
  });

  it('leaves no cdk-nag AwsSolutions error unsuppressed', () => {
    expect(nagErrors(annotations)).toEqual([]);
  });

  it('leaves no cdk-nag rule unevaluated without a reason', () => {
    expect(nagValidationFailures(annotations)).toEqual([]);
  });
});

describe('App: openim-hooks (prod, private API, IAM operators, managed OpenIM dependencies)', () => {
  let built: OpenimHooksApp;

  let annotations: Annotations[];

  beforeAll(async () => {
    const app = appWithoutBundling({
      stage: 'prod',
      apiEndpoint: 'private',
      operatorAuth: 'iam',
      openimDependencies: 'managed',
    });
    built = buildApp(app, readStageConfig(app.node));
    app.synth();
    annotations = await annotationsOf(stacksOf(built));
  }, 300_000);

  it('leaves no cdk-nag AwsSolutions error unsuppressed', () => {
    expect(nagErrors(annotations)).toEqual([]);
  });

  it('leaves no cdk-nag rule unevaluated without a reason', () => {
    expect(nagValidationFailures(annotations)).toEqual([]);
  });

  it('keeps two warm before-callback environments by default', () => {
    const alias = Object.values(
      (built.callbacks.node.root as App).synth().getStackByName('OpenimHooks-prod-callbacks').template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).find((r) => r.Type === 'AWS::Lambda::Alias');
    expect(alias?.Properties.ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 2 });
  });
});

describe('App: openim-hooks with deployOpenIM=false', () => {
  it('deploys only the callbacks suite: no network and no OpenIM stack', () => {
    const app = appWithoutBundling({ deployOpenIM: 'false' });
    const built = buildApp(app, readStageConfig(app.node));
    expect(built.openim).toBeUndefined();
    expect(built.network).toBeUndefined();
  });
});

describe('Function: readStageConfig()', () => {
  it('reads the defaults when no context is given', () => {
    const config = readStageConfig(new App().node);
    expect(config).toMatchObject({
      stage: 'dev',
      prefix: 'openim-hooks-dev',
      apiEndpoint: 'regional',
      operatorAuth: 'cognito',
      deployOpenIM: true,
      openimDependencies: 'containers',
      openimVersion: 'v3.8.3',
      beforeProvisionedConcurrency: 0,
      logRetentionDays: 14,
    });
  });

  it('throws every invalid key at once', () => {
    const app = new App({ context: { stage: 'qa', apiEndpoint: 'public', deployOpenIM: 'yes' } });
    expect(() => readStageConfig(app.node)).toThrow(StageConfigError);
    expect(() => readStageConfig(app.node)).toThrow(/stage must be[\s\S]*apiEndpoint must be[\s\S]*deployOpenIM must be/);
  });

  it('throws when openimVersion is main without a server image', () => {
    const app = new App({ context: { openimVersion: 'main' } });
    expect(() => readStageConfig(app.node)).toThrow(/openimServerImage/);
  });
});

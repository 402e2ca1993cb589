/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). One stage per synth, from context:
 * `npx cdk deploy --all -c stage=prod`. Keys and defaults: infra/README.md "Context keys".
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.ts';
import { readStageConfig } from './config/stage-config.ts';

const app = new App();
buildApp(app, readStageConfig(app.node));
app.synth();

import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { ImageSource, ImageSourceError, isDigestPinned } from '../../infra/openim/image-source.ts';
import { appWithoutBundling } from './helpers.ts';
import { buildOpenim, containers } from './openim-template.ts';

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

describe('Class: ImageSource', () => {
  describe('Method: reference', () => {
    it.each([
      { case: 'a Docker Hub image is left as is without settings', props: {}, image: 'openim/openim-server:v3.8.3-patch.15', expected: 'openim/openim-server:v3.8.3-patch.15' },
      { case: 'a Docker Hub image goes through the cache', props: { registry: REGISTRY }, image: 'openim/openim-chat:v1.8.4-patch.5', expected: `${REGISTRY}/openim/openim-chat:v1.8.4-patch.5` },
      { case: 'an official image goes through the cache under library/', props: { registry: REGISTRY }, image: 'mongo:7.0.28', expected: `${REGISTRY}/library/mongo:7.0.28` },
      { case: 'another registry is never rewritten', props: { registry: REGISTRY }, image: 'public.ecr.aws/amazonlinux/amazonlinux:2023', expected: 'public.ecr.aws/amazonlinux/amazonlinux:2023' },
      { case: 'the repository\'s digest is appended to its tag', props: { digests: JSON.stringify({ mongo: DIGEST }) }, image: 'mongo:7.0.28', expected: `mongo:7.0.28@${DIGEST}` },
      { case: 'cache and digest together', props: { registry: REGISTRY, digests: JSON.stringify({ 'bitnamilegacy/etcd': DIGEST }) }, image: 'bitnamilegacy/etcd:3.5.13', expected: `${REGISTRY}/bitnamilegacy/etcd:3.5.13@${DIGEST}` },
      { case: 'a reference that already names its digest keeps it', props: {}, image: `mongo:7.0.28@${DIGEST}`, expected: `mongo:7.0.28@${DIGEST}` },
    ])('returns $expected when $case', ({ props, image, expected }) => {
      expect(new ImageSource(props).reference(image)).toBe(expected);
    });

    it('throws when a reference names a digest other than the one set for its repository', () => {
      const source = new ImageSource({ digests: JSON.stringify({ mongo: OTHER_DIGEST }) });
      expect(() => source.reference(`mongo:7.0.28@${DIGEST}`)).toThrow(ImageSourceError);
    });
  });

  it('lists every bad setting at once', () => {
    const construct = () => new ImageSource({ registry: 'docker.io/mirror', digests: JSON.stringify({ mongo: 'sha256:short', redis: 7 }) });
    expect(construct).toThrow(ImageSourceError);
    try {
      construct();
    } catch (error) {
      expect((error as ImageSourceError).problems).toHaveLength(3);
    }
  });

  it('rejects digests that are not a JSON object', () => {
    expect(() => new ImageSource({ digests: '["sha256:abc"]' })).toThrow(/JSON object/);
  });

  describe('Method: grantPull', () => {
    it('lets the role pull through the cache\'s namespace only, creating and importing repositories on first pull', () => {
      const stack = new Stack(appWithoutBundling(), 'Pull');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      new ImageSource({ registry: REGISTRY }).grantPull(role);
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0]?.Properties.PolicyDocument.Statement;
      expect(statements).toEqual([
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository', 'ecr:GetDownloadUrlForLayer'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:123456789012:repository/docker-hub/*']] },
        },
      ]);
    });

    it('grants nothing without a cache', () => {
      const stack = new Stack(appWithoutBundling(), 'Pull');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      new ImageSource({}).grantPull(role);
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    });
  });
});

describe('Function: isDigestPinned()', () => {
  it('tells a digest-pinned reference from a tag', () => {
    expect(isDigestPinned(`a/b:1@${DIGEST}`)).toBe(true);
    expect(isDigestPinned('a/b:1')).toBe(false);
  });
});

describe('Stack: OpenimStack with an ECR pull-through cache and digests', () => {
  it('pulls every Docker Hub image through the cache, pinned where a digest is set', () => {
    const template = buildOpenim({ images: { registry: REGISTRY, digests: JSON.stringify({ 'openim/openim-server': DIGEST }) } });
    const images = containers(template).map((c) => c.Image);
    expect(images).toContain(`${REGISTRY}/openim/openim-server:v3.8.3-patch.15@${DIGEST}`);
    expect(images.filter((image) => !image.startsWith(`${REGISTRY}/`))).toEqual([]);
  });
});

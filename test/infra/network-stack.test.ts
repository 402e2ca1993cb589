import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NetworkStack } from '../../infra/stacks/network-stack.ts';
import { appWithoutBundling, LOG_RETENTION } from './helpers.ts';

function build(openimAdminApi: boolean): { stack: NetworkStack; template: Template } {
  const stack = new NetworkStack(appWithoutBundling(), 'Network', { logRetention: LOG_RETENTION, openimAdminApi });
  return { stack, template: Template.fromStack(stack) };
}

describe('Stack: NetworkStack', () => {
  let withAdmin: ReturnType<typeof build>;

  beforeAll(() => {
    withAdmin = build(true);
  });

  it('puts an internal network load balancer in the private subnets when OpenIM\'s admin API is wanted', () => {
    withAdmin.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Scheme: 'internal' });
    const subnets = JSON.stringify(Object.values(withAdmin.template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0]?.Properties.Subnets);
    expect(subnets).toMatch(/privateSubnet1/);
    expect(subnets).not.toMatch(/publicSubnet/);
  });

  it.each([
    { case: 'OpenIM API', port: 10002 },
    { case: 'chat admin API', port: 10009 },
  ])('forwards TCP $port ($case) to IP targets checked over TCP', ({ port }) => {
    withAdmin.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: port, Protocol: 'TCP' });
    withAdmin.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: port,
      Protocol: 'TCP',
      TargetType: 'ip',
      HealthCheckProtocol: 'TCP',
    });
  });

  it('admits only the VPC\'s own CIDR to the load balancer, on the two admin ports', () => {
    const groups = Object.values(withAdmin.template.findResources('AWS::EC2::SecurityGroup'));
    const ingress = groups.flatMap((group) => (group.Properties.SecurityGroupIngress ?? []) as { FromPort: number; CidrIp: unknown }[]);
    expect(ingress.map((rule) => rule.FromPort).sort()).toEqual([10002, 10009]);
    for (const rule of ingress) expect(rule.CidrIp).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'CidrBlock'] });
  });

  it('gives the OpenIM API and chat admin URLs on the load balancer\'s DNS name', () => {
    expect(withAdmin.stack.resolve(withAdmin.stack.openimAdmin?.apiUrl)).toEqual({
      'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.stringMatching(/^OpenimAdminLb/), 'DNSName'] }, ':10002']],
    });
    expect(withAdmin.stack.resolve(withAdmin.stack.openimAdmin?.chatApiUrl)).toEqual({
      'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.stringMatching(/^OpenimAdminLb/), 'DNSName'] }, ':10009']],
    });
  });

  it('creates no load balancer without OpenIM', () => {
    const bare = build(false);
    bare.template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    expect(bare.stack.openimAdmin).toBeUndefined();
  });
});

/** Where the signed clients send when no endpoint is configured: the public one, or a refusal naming what to set. */
import { describe, expect, it } from 'vitest';
import { regionalEndpoint } from '#shared/aws/signed-aws-service.ts';

describe('regionalEndpoint', () => {
  it("names the service's endpoint in the region, China's regions under amazonaws.com.cn", () => {
    expect(regionalEndpoint('dynamodb', 'eu-west-1', 'AWS_ENDPOINT_URL_DYNAMODB', {})).toBe('https://dynamodb.eu-west-1.amazonaws.com');
    expect(regionalEndpoint('sns', 'cn-north-1', 'AWS_ENDPOINT_URL_SNS', {})).toBe('https://sns.cn-north-1.amazonaws.com.cn');
  });

  it.each(['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT'])('refuses to pick the plain endpoint where %s asks for another, naming the variable to set', (variable) => {
    expect(() => regionalEndpoint('dynamodb', 'us-east-1', 'AWS_ENDPOINT_URL_DYNAMODB', { [variable]: 'true' })).toThrow(
      new RegExp(`${variable} is set.*set AWS_ENDPOINT_URL_DYNAMODB`),
    );
    expect(regionalEndpoint('dynamodb', 'us-east-1', 'AWS_ENDPOINT_URL_DYNAMODB', { [variable]: 'false' })).toBe('https://dynamodb.us-east-1.amazonaws.com');
  });
});

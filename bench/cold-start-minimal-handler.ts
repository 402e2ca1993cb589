/** The smallest Lambda handler bench:cold-start compares every bundle with: it imports nothing. */
export const handler = async () => ({ statusCode: 200, body: '{}' });

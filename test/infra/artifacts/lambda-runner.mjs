// @ts-check
/**
 * Runs one synthesized Lambda bundle in this fresh Node process, as Lambda's Node runtime does:
 * imports the handler's file at start (an error there is an init error), then calls the handler
 * once per invocation it is sent over IPC, with a context whose remaining time counts down from
 * the function's timeout. Usage (through fork): lambda-runner.mjs <bundle file> <export> <timeout ms>.
 */
import { pathToFileURL } from 'node:url';

const [file, exportName, timeoutMs] = process.argv.slice(2);
const send = (/** @type {unknown} */ message) => new Promise((resolve) => process.send?.(message, () => resolve(undefined)));
const errorOf = (/** @type {unknown} */ error) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) };

try {
  const bundle = await import(pathToFileURL(String(file)).href);
  const handler = bundle[String(exportName)];
  if (typeof handler !== 'function') throw new Error(`${file} exports no function ${exportName}`);
  process.on('message', async (/** @type {{ id: number, event: unknown }} */ { id, event }) => {
    const deadline = Date.now() + Number(timeoutMs);
    const context = {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: '$LATEST',
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: `request-${id}`,
      invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:000000000000:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
      logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      await send({ type: 'result', id, result: await handler(event, context) });
    } catch (error) {
      await send({ type: 'error', id, error: errorOf(error) });
    }
  });
  await send({ type: 'ready', nodeVersion: process.versions.node });
} catch (error) {
  await send({ type: 'init-error', error: errorOf(error) });
  process.exit(1);
}

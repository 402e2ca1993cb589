/**
 * Conditional writes whose failed condition is an answer, not an error: DynamoDB reports it as a
 * ConditionalCheckFailedException, which these turn into a value; any other failure is thrown.
 */

/** The write's output, or `undefined` when its condition did not hold. */
export async function outputIfConditionHeld<T extends object>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

/** Whether the write's condition held, and so whether it took effect. */
export async function conditionHeld(write: Promise<object>): Promise<boolean> {
  return (await outputIfConditionHeld(write)) !== undefined;
}

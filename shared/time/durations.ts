/** A day, in the units settings, stores and DynamoDB's TTL attributes count time in. */
export const SECONDS_PER_DAY = 86_400;
export const MS_PER_DAY = SECONDS_PER_DAY * 1000;

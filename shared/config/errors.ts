export class InvalidConfigError extends Error {
  constructor(readonly problems: string) {
    super(`invalid configuration: ${problems}`);
    this.name = 'InvalidConfigError';
  }
}

export class InvalidConfigError extends Error {
  constructor(problems: string) {
    super(`invalid configuration: ${problems}`);
    this.name = 'InvalidConfigError';
  }
}

/**
 * Which provider a device's notification goes through: in `outbox` delivery (the local default)
 * every device's goes to the outbox; in `providers` delivery each device uses the provider it was
 * registered with, which must be configured in this deployment.
 */
import type { UserDevice } from './device.ts';
import { ProviderNotConfiguredError } from './errors.ts';
import type { PushProvider } from './providers/push-provider.ts';

export type ProviderRouter = (device: UserDevice) => PushProvider;

export function outboxRouter(outbox: PushProvider): ProviderRouter {
  return () => outbox;
}

export function registeredProviderRouter(providers: Readonly<Partial<Record<UserDevice['provider'], PushProvider>>>): ProviderRouter {
  return (device) => {
    const provider = providers[device.provider];
    if (!provider) throw new ProviderNotConfiguredError(device.provider);
    return provider;
  };
}

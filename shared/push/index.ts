/** The push capability: take-over of OpenIM's offline push, fan-out, devices, preferences, providers. */
export { collapseKeyOf } from './collapse-key.ts';
export { DeviceRegistration, PUSH_PLATFORMS, PUSH_PROVIDER_NAMES, type Device, type UserDevice } from './device.ts';
export { deviceRoutes } from './device-routes.ts';
export { DoNotDisturb, isWithinDoNotDisturb, TimeZone } from './do-not-disturb.ts';
export { AdaptiveConcurrency } from './adaptive-concurrency.ts';
export {
  DeliveryOutcomeUnknownError,
  DeviceLimitError,
  ProviderNotConfiguredError,
  ProviderRejectedError,
  ProviderUnavailableError,
  PushError,
  PushIncompleteError,
} from './errors.ts';
export { notificationText } from './notification-text.ts';
export { PUSH_MODES, type PushMode } from '../config/push-callback-config.ts';
export { createOfflinePushDecider } from './offline-push-decider.ts';
export { PreferencesUpdate, quietReason, type PushPreferences } from './preferences.ts';
export { outboxRouter, registeredProviderRouter, type ProviderRouter } from './provider-router.ts';
export type { Notification, PushProvider, SendOutcome } from './providers/push-provider.ts';
export { PushDispatcher, type DispatchReport } from './push-dispatcher.ts';
export { PUSH_METRICS } from './push-metrics.ts';
export { PUSH_EVENT_TYPES, PushJob } from './push-job.ts';
export { pushRoutes } from './push-routes.ts';
export { pushWorkerHandler } from './push-worker.ts';
export { splitPushJob, MAX_JOB_BYTES, MAX_USERS_PER_JOB } from './split-push-job.ts';

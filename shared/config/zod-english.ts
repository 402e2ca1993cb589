/**
 * English messages for zod/mini schemas, which (unlike classic zod) load no locale by themselves:
 * imported, for its effect, by every module that builds zod/mini schemas whose messages reach a
 * person (settings, the policy document, the operator API's push preferences). English alone:
 * `z.locales` would bring all of zod's ~50 locales into the bundle.
 */
import english from 'zod/v4/locales/en.js';
import { config } from 'zod/mini';

config(english());

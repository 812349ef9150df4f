import { defineJob } from '../job-definition.js';

/** The deferred half of "forgot password": the request answered before the account was looked up. */
export const mailResetLink = defineJob({
  name: 'identity.mail-reset-link',
  concurrency: 5,
  async handler({ email }, { modules }) {
    await modules.identity.passwordReset.mailResetLink(email);
  },
});

declare module '../shared/job-queue.js' {
  interface JobPayloads {
    'identity.cleanup-expired-tokens': Record<string, never>;
    /** "Forgot password", after the request answered: look the e-mail up and mail a link if it has an account. */
    'identity.mail-reset-link': { email: string };
  }
}

export {};

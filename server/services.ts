import { createMailer, type Mailer } from '../domain/mail/mailer.js';
import { TokenCleanup } from '../domain/identity/token-cleanup.js';
import type { Deps } from './container.js';

/** Test/ops overrides for outbound channels (SMS, mail) that the services use. */
export interface ServiceOverrides {
  mailer?: Mailer;
}

/** Every domain service, built once per process. One line per module. */
export interface Services {
  mailer: Mailer;
  tokenCleanup: TokenCleanup;
}

export function createServices(deps: Deps, overrides: ServiceOverrides): Services {
  const { config, log, em, clock } = deps;
  const mailer = overrides.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxFile: config.mailOutboxFile, log });
  return {
    mailer,
    tokenCleanup: new TokenCleanup(em, clock),
  };
}

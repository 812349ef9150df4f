import { createMailer, type Mailer } from '../domain/mail/mailer.js';
import { TokenCleanup } from '../domain/identity/token-cleanup.js';
import { createIdentityServices, type IdentityServices } from '../domain/identity/identity-services.js';
import type { SmsSender } from '../domain/identity/sms-sender.js';
import { createCartModule, type CartModule } from '../domain/cart/cart-module.js';
import { createCatalogModule, type CatalogModule } from '../domain/catalog/catalog-module.js';
import { createOrdersModule, type OrdersModule } from '../domain/orders/orders-module.js';
import type { Deps } from './container.js';

/** Test/ops overrides for outbound channels (SMS, mail) that the services use. */
export interface ServiceOverrides {
  mailer?: Mailer;
  sms?: SmsSender;
}

/** Every domain service, built once per process. One line per module. */
export interface Services extends CartModule, OrdersModule {
  mailer: Mailer;
  tokenCleanup: TokenCleanup;
  identity: IdentityServices;
  catalog: CatalogModule;
}

export function createServices(deps: Deps, overrides: ServiceOverrides): Services {
  const { config, log, em, clock, redis, events } = deps;
  const mailer = overrides.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxFile: config.mailOutboxFile, log });
  const cart = createCartModule({ redis, em, events, clock, log, ttlSeconds: config.cartTtlSeconds });
  const orders = createOrdersModule({
    em, redis, events, clock, log, cart, cartTtlSeconds: config.cartTtlSeconds, driverSpeedKmh: config.driverSpeedKmh, deliveryRadiusKm: config.deliveryRadiusKm,
  });
  return {
    ...cart,
    ...orders,
    mailer,
    tokenCleanup: new TokenCleanup(em, clock),
    identity: createIdentityServices(deps, { sms: overrides.sms }),
    catalog: createCatalogModule(deps, (ids) => cart.inventory.available(ids)),
  };
}

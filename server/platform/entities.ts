import { OtpCode, PasswordResetToken, RefreshToken, User } from '../../domain/identity/index.js';
import { Product } from '../../domain/catalog/index.js';
import { IdempotencyKey, Order, OrderItem, OrderMerchant, OrderStatusChange } from '../../domain/orders/index.js';
import { WebhookEndpoint } from '../../domain/webhooks/index.js';

/** Every MikroORM entity, one line per module's entities. */
export const entities = [
  User,
  RefreshToken,
  OtpCode,
  PasswordResetToken,
  Product,
  Order,
  OrderItem,
  OrderMerchant,
  OrderStatusChange,
  IdempotencyKey,
  WebhookEndpoint,
];

import { User } from '../domain/identity/user.entity.js';
import { RefreshToken } from '../domain/identity/refresh-token.entity.js';
import { OtpCode } from '../domain/identity/otp-code.entity.js';
import { PasswordResetToken } from '../domain/identity/password-reset-token.entity.js';
import { Product } from '../domain/catalog/product.entity.js';
import { Order, OrderItem, OrderMerchant, OrderStatusChange } from '../domain/orders/order.entity.js';
import { IdempotencyKey } from '../domain/orders/idempotency-key.entity.js';

/** Every MikroORM entity, one line per module's entities. */
export const entities = [User, RefreshToken, OtpCode, PasswordResetToken, Product,
  Order, OrderItem, OrderMerchant, OrderStatusChange, IdempotencyKey];

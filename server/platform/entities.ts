import { OtpCode, PasswordResetToken, RefreshToken, User } from '../../domain/identity/index.js';
import { Product } from '../../domain/catalog/index.js';
import { Board, Comment, ModerationReport, Post } from '../../domain/community/index.js';
import { DiaryEntry, DiarySyncHead, DiaryTombstone } from '../../domain/diary/index.js';
import { AnalyticsItem, AnalyticsSettings, PosConnection, PosSyncRun, Simulation } from '../../domain/analytics/index.js';
import { IdempotencyKey, Order, OrderItem, OrderMerchant, OrderStatusChange } from '../../domain/orders/index.js';
import { Locality } from '../../domain/localities/index.js';
import { Restaurant } from '../../domain/restaurants/index.js';
import { MealSet, MealSetDish } from '../../domain/mealsets/index.js';
import { Device, Notification, NotificationPreference } from '../../domain/notifications/index.js';
import { WebhookEndpoint } from '../../domain/webhooks/index.js';

/** Every MikroORM entity, one line per module's entities. */
// biome-ignore format: one line per module
export const entities = [
  User, RefreshToken, OtpCode, PasswordResetToken,
  Locality,
  Product,
  Order, OrderItem, OrderMerchant, OrderStatusChange, IdempotencyKey,
  Restaurant,
  MealSet, MealSetDish,
  Notification, NotificationPreference, Device,
  DiaryEntry, DiarySyncHead, DiaryTombstone,
  Board, Post, Comment, ModerationReport,
  AnalyticsSettings, AnalyticsItem, PosConnection, PosSyncRun, Simulation,
  WebhookEndpoint,
];

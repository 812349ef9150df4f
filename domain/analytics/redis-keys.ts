/** Redis keys owned by analytics (the client adds the deployment prefix), with their TTLs. */
export const analyticsKeys = {
  /** Hash: cached menu analyses of a merchant, one field per period and minimum support (JSON). */
  menu: (merchantId: string) => `analytics:menu:${merchantId}`,
  /** Counter bumped by every change of the merchant's transactions or settings: a computation started before it may not be cached. */
  generation: (merchantId: string) => `analytics:menu-gen:${merchantId}`,
} as const;

export const MENU_CACHE_TTL_SECONDS = 24 * 3600;

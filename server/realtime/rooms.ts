/** Room names in one place. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  product: (productId: string) => `product:${productId}`,
  /** Watchers who may see the whole order (its customer, its driver, admins). */
  order: (orderId: string) => `order:${orderId}`,
  post: (postId: string) => `post:${postId}`,
  simulation: (simulationId: string) => `simulation:${simulationId}`,
  import: (importId: string) => `import:${importId}`,
  /** A merchant watching an import id it chose before its upload created it: that merchant's import of that id only. */
  importOfMerchant: (importId: string, merchantId: string) => `import:${importId}:merchant:${merchantId}`,
  /** A merchant watching an order: it is pushed only that merchant's view. */
  orderForMerchant: (orderId: string, merchantId: string) => `order:${orderId}:merchant:${merchantId}`,
  /** Everyone watching an order, for the driver's position. */
  orderTracking: (orderId: string) => `order:${orderId}:tracking`,
} as const;

/** Room names in one place. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  product: (productId: string) => `product:${productId}`,
  order: (orderId: string) => `order:${orderId}`,
  import: (importId: string) => `import:${importId}`,
} as const;

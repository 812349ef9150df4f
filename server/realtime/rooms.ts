/** Room names in one place. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  product: (productId: string) => `product:${productId}`,
  order: (orderId: string) => `order:${orderId}`,
  post: (postId: string) => `post:${postId}`,
  simulation: (simulationId: string) => `simulation:${simulationId}`,
  import: (importId: string) => `import:${importId}`,
} as const;

/** Community rate-limit counters (the client adds the key prefix). */
export const communityKeys = {
  comments: (userId: string) => `community:comments:${userId}`,
  posts: (userId: string) => `community:posts:${userId}`,
  reports: (userId: string) => `community:reports:${userId}`,
  /** One comment per slow-mode period per user on a post. */
  slowMode: (postId: string, userId: string) => `community:slow:${postId}:${userId}`,
} as const;

/** Per-user limits, counted across every instance (fixed windows, seconds). */
export const communityLimits = {
  comments: { limit: 10, windowSec: 60 },
  posts: { limit: 5, windowSec: 3_600 },
  reports: { limit: 20, windowSec: 3_600 },
} as const;

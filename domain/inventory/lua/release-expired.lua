-- Claims and releases up to ARGV[3] carts whose expiry passed. Claiming (ZREM) and releasing happen in
-- one script, so with any number of sweepers each cart is released exactly once.
-- KEYS[1] carts:expiry, ARGV: keyPrefix, nowMs, batch
-- Result: list of {userId, {productId, quantity, ...}}
local prefix, now, batch = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, batch)
local result = {}
for _, userId in ipairs(due) do
  table.insert(result, {userId, releaseCart(prefix, userId)})
end
return result

-- Sets or adds to one cart line, reserving or releasing units, and slides the cart's expiry: one atomic step.
-- KEYS[1] inv:{productId}   hash {stock, reserved, v}
-- KEYS[2] cart:{userId}     hash productId -> quantity
-- KEYS[3] carts:expiry      zset userId -> expiresAt (ms)
-- ARGV: userId, productId, mode ('add'|'set'), quantity, nowMs, ttlMs, maxLines, maxLineQuantity
-- Returns {status, available, lineQuantity, expiresAt, lines}; status OK | MISSING | OUT_OF_STOCK | LINE_LIMIT | QUANTITY_LIMIT;
-- lines (the cart after the change, flat productId, quantity, …) only with OK, so the caller need not read it again
local userId, productId, mode = ARGV[1], ARGV[2], ARGV[3]
local quantity, now, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxLines, maxLineQuantity = tonumber(ARGV[7]), tonumber(ARGV[8])

local current = tonumber(redis.call('HGET', KEYS[2], productId) or '0')
local target = quantity
if mode == 'add' then target = current + quantity end

local stock = redis.call('HGET', KEYS[1], 'stock')
if not stock then
  if target == 0 and current == 0 then return {'OK', 0, 0, 0, redis.call('HGETALL', KEYS[2])} end
  return {'MISSING', 0, current, 0}
end
local available = tonumber(stock) - tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')

if target > maxLineQuantity then return {'QUANTITY_LIMIT', available, current, 0} end
if current == 0 and target > 0 and redis.call('HLEN', KEYS[2]) >= maxLines then
  return {'LINE_LIMIT', available, current, 0}
end
local delta = target - current
if delta > 0 and available < delta then return {'OUT_OF_STOCK', available, current, 0} end

if delta ~= 0 then
  redis.call('HINCRBY', KEYS[1], 'reserved', delta)
  available = available - delta
end
if target == 0 then redis.call('HDEL', KEYS[2], productId) else redis.call('HSET', KEYS[2], productId, target) end

local expiresAt = 0
if redis.call('HLEN', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[3], userId)
else
  expiresAt = now + ttl
  redis.call('ZADD', KEYS[3], expiresAt, userId)
end
return {'OK', available, target, expiresAt, redis.call('HGETALL', KEYS[2])}

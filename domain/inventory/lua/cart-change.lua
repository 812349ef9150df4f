-- Sets or adds to one line of a holder (a cart, or a checkout's explicit lines), reserving or releasing
-- units, and slides the holder's expiry within its absolute hold limit: one atomic step.
-- KEYS[1] inv:{productId}      hash {stock, reserved, v}
-- KEYS[2] cart:{holder}        hash productId -> quantity
-- KEYS[3] carts:expiry         zset holder -> expiresAt (ms)
-- KEYS[4] carts:started        hash holder -> when its current hold began (ms)
-- KEYS[5] holders:{productId}  set of holders with a line of the product (who to tell when its price changes)
-- KEYS[6] carts:currency       hash holder -> the currency of its lines (set by the last change that added one)
-- ARGV: holder, productId, mode ('add'|'set'), quantity, nowMs, ttlMs, maxLines, maxLineQuantity,
--       maxHoldMs (0: no absolute limit), allowed (units this holder may hold of the product; -1: no cap),
--       currency (the product's; '' : not checked)
-- Returns {status, available, lineQuantity, expiresAt, lines}; status OK | MISSING | OUT_OF_STOCK | LINE_LIMIT |
-- QUANTITY_LIMIT | CUSTOMER_LIMIT | CURRENCY; lines (the holder after the change, flat productId, quantity, …)
-- only with OK; with CURRENCY the fourth value is the currency the holder's other lines are in.
-- A change that changes nothing (same quantity) extends nothing.
local holder, productId, mode = ARGV[1], ARGV[2], ARGV[3]
local quantity, now, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxLines, maxLineQuantity = tonumber(ARGV[7]), tonumber(ARGV[8])
local maxHold, allowed, currency = tonumber(ARGV[9]), tonumber(ARGV[10]), ARGV[11] or ''

local current = tonumber(redis.call('HGET', KEYS[2], productId) or '0')
local target = quantity
if mode == 'add' then target = current + quantity end

-- A holder's lines share one currency: refuse a line in another while it holds a line of another product.
if currency ~= '' and target > 0 then
  local held = redis.call('HGET', KEYS[6], holder)
  if held and held ~= currency then
    local lines = redis.call('HLEN', KEYS[2])
    if lines > 1 or (lines == 1 and current == 0) then return {'CURRENCY', 0, current, held} end
  end
end

local stock = redis.call('HGET', KEYS[1], 'stock')
if not stock then
  if target == 0 and current == 0 then return {'OK', 0, 0, tonumber(redis.call('ZSCORE', KEYS[3], holder) or '0'), redis.call('HGETALL', KEYS[2])} end
  return {'MISSING', 0, current, 0}
end
local available = tonumber(stock) - tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')

if target > maxLineQuantity then return {'QUANTITY_LIMIT', available, current, 0} end
if allowed >= 0 and target > allowed and target > current then return {'CUSTOMER_LIMIT', available, current, allowed} end
if current == 0 and target > 0 and redis.call('HLEN', KEYS[2]) >= maxLines then
  return {'LINE_LIMIT', available, current, 0}
end
local delta = target - current
if delta > 0 and available < delta then return {'OUT_OF_STOCK', available, current, 0} end
if delta == 0 then
  return {'OK', available, target, tonumber(redis.call('ZSCORE', KEYS[3], holder) or '0'), redis.call('HGETALL', KEYS[2])}
end

redis.call('HINCRBY', KEYS[1], 'reserved', delta)
available = available - delta
if target == 0 then
  redis.call('HDEL', KEYS[2], productId)
  redis.call('SREM', KEYS[5], holder)
else
  redis.call('HSET', KEYS[2], productId, target)
  redis.call('SADD', KEYS[5], holder)
end

local expiresAt = 0
if redis.call('HLEN', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[3], holder)
  redis.call('HDEL', KEYS[4], holder)
  redis.call('HDEL', KEYS[6], holder)
else
  if currency ~= '' and target > 0 then redis.call('HSET', KEYS[6], holder, currency) end
  local started = tonumber(redis.call('HGET', KEYS[4], holder) or '0')
  if started == 0 then
    started = now
    redis.call('HSET', KEYS[4], holder, now)
  end
  expiresAt = now + ttl
  if maxHold > 0 and started + maxHold < expiresAt then expiresAt = started + maxHold end
  redis.call('ZADD', KEYS[3], expiresAt, holder)
end
return {'OK', available, target, expiresAt, redis.call('HGETALL', KEYS[2])}

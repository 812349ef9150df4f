-- Sets or adds to one line of a holder (a cart, or a checkout's explicit lines), reserving or releasing
-- units, and slides the holder's expiry within its absolute hold limit: one atomic step.
-- KEYS[1] inv:{productId}      hash {stock, reserved, v}
-- KEYS[2] cart:{holder}        hash productId -> quantity
-- Reached by name under ARGV[10] (the client's key prefix; one Redis, as release-cart.lua):
--   carts:expiry         zset holder -> expiresAt (ms)
--   carts:started        hash holder -> when its current hold began (ms)
--   holders:{productId}  set of holders with a line of the product (who to tell when its price changes)
--   carts:currency       hash holder -> the currency of its lines (set by the last change that added one)
-- ARGV: holder, productId, mode ('add'|'set'), quantity, nowMs, ttlMs,
--       maxHoldMs (0: no absolute limit), allowed (units this holder may hold of the product; -1: no cap),
--       currency (the product's; '' : not checked), key prefix
-- MAX_LINES and MAX_LINE_QUANTITY are prepended by inventory-scripts.ts (reservation-limits.ts).
-- Returns one string, fields joined by '|' (one bulk reply is the cheapest for the client to read):
-- status|available|lineQuantity|fourth[|productId|quantity…]; status OK | MISSING | OUT_OF_STOCK |
-- LINE_LIMIT | QUANTITY_LIMIT | CUSTOMER_LIMIT | CURRENCY; with OK the fourth field is expiresAt (0: empty)
-- and the holder's lines after the change follow; with CUSTOMER_LIMIT it is the units allowed, with
-- CURRENCY the currency the holder's other lines are in.
-- A change that changes nothing (same quantity) extends nothing.
local holder, productId, mode = ARGV[1], ARGV[2], ARGV[3]
local quantity, now, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxHold, allowed, currency, prefix = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9], ARGV[10]
local expiryKey, startedKey, currencyKey = prefix .. 'carts:expiry', prefix .. 'carts:started', prefix .. 'carts:currency'

local function answer(status, available, line, fourth)
  return status .. '|' .. available .. '|' .. line .. '|' .. fourth
end
local function ok(available, line, expiresAt)
  local lines = redis.call('HGETALL', KEYS[2])
  if #lines == 0 then return answer('OK', available, line, expiresAt) end
  return answer('OK', available, line, expiresAt) .. '|' .. table.concat(lines, '|')
end

local current = tonumber(redis.call('HGET', KEYS[2], productId) or '0')
local target = quantity
if mode == 'add' then target = current + quantity end

-- A holder's lines share one currency: refuse a line in another while it holds a line of another product.
if currency ~= '' and target > 0 then
  local held = redis.call('HGET', currencyKey, holder)
  if held and held ~= currency then
    local lines = redis.call('HLEN', KEYS[2])
    if lines > 1 or (lines == 1 and current == 0) then return answer('CURRENCY', 0, current, held) end
  end
end

local inv = redis.call('HMGET', KEYS[1], 'stock', 'reserved')
local stock = inv[1]
if not stock then
  if target == 0 and current == 0 then return ok(0, 0, tonumber(redis.call('ZSCORE', expiryKey, holder) or '0')) end
  return answer('MISSING', 0, current, 0)
end
local available = tonumber(stock) - tonumber(inv[2] or '0')

if target > MAX_LINE_QUANTITY then return answer('QUANTITY_LIMIT', available, current, 0) end
if allowed >= 0 and target > allowed and target > current then return answer('CUSTOMER_LIMIT', available, current, allowed) end
if current == 0 and target > 0 and redis.call('HLEN', KEYS[2]) >= MAX_LINES then
  return answer('LINE_LIMIT', available, current, 0)
end
local delta = target - current
if delta > 0 and available < delta then return answer('OUT_OF_STOCK', available, current, 0) end
if delta == 0 then return ok(available, target, tonumber(redis.call('ZSCORE', expiryKey, holder) or '0')) end

redis.call('HINCRBY', KEYS[1], 'reserved', delta)
available = available - delta
local holdersKey = prefix .. 'holders:' .. productId
if target == 0 then
  redis.call('HDEL', KEYS[2], productId)
  redis.call('SREM', holdersKey, holder)
else
  redis.call('HSET', KEYS[2], productId, target)
  redis.call('SADD', holdersKey, holder)
end

local expiresAt = 0
if redis.call('HLEN', KEYS[2]) == 0 then
  redis.call('ZREM', expiryKey, holder)
  redis.call('HDEL', startedKey, holder)
  redis.call('HDEL', currencyKey, holder)
else
  if currency ~= '' and target > 0 then redis.call('HSET', currencyKey, holder, currency) end
  local started = tonumber(redis.call('HGET', startedKey, holder) or '0')
  if started == 0 then
    started = now
    redis.call('HSET', startedKey, holder, now)
  end
  expiresAt = now + ttl
  if maxHold > 0 and started + maxHold < expiresAt then expiresAt = started + maxHold end
  redis.call('ZADD', expiryKey, expiresAt, holder)
end
return ok(available, target, expiresAt)

-- Hands every line (and so every reserved unit) of one holder to another, merging into what the
-- receiver already holds: a cart to its checkout, or a failed checkout back to the cart. The units
-- stay reserved throughout, and a second checkout of the same cart finds it empty. The hold's start
-- goes along (the earlier of the two), so handing a cart to a failing checkout and back never
-- restarts its absolute hold limit; so does the lines' currency (carts:currency, see cart-change.lua).
-- KEYS[1] cart:{from}, KEYS[2] cart:{to}, KEYS[3] carts:expiry, KEYS[4] carts:started
-- ARGV: from, to, keyPrefix, nowMs, the receiver's ttlMs, maxHoldMs (0: no absolute limit)
-- Returns the moved lines, flat productId, quantity, …
local from, to, prefix = ARGV[1], ARGV[2], ARGV[3]
local now, ttl, maxHold = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local lines = redis.call('HGETALL', KEYS[1])
if #lines == 0 then return lines end
for i = 1, #lines, 2 do
  redis.call('HINCRBY', KEYS[2], lines[i], lines[i + 1])
  redis.call('SREM', prefix .. 'holders:' .. lines[i], from)
  redis.call('SADD', prefix .. 'holders:' .. lines[i], to)
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], from)
local started = tonumber(redis.call('HGET', KEYS[4], from) or tostring(now))
local existing = tonumber(redis.call('HGET', KEYS[4], to) or '0')
if existing > 0 and existing < started then started = existing end
redis.call('HDEL', KEYS[4], from)
redis.call('HSET', KEYS[4], to, started)
local currency = redis.call('HGET', prefix .. 'carts:currency', from)
if currency then
  redis.call('HDEL', prefix .. 'carts:currency', from)
  redis.call('HSET', prefix .. 'carts:currency', to, currency)
end
local expiresAt = now + ttl
if maxHold > 0 and started + maxHold < expiresAt then expiresAt = started + maxHold end
redis.call('ZADD', KEYS[3], expiresAt, to)
return lines

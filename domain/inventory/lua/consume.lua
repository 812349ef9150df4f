-- After a checkout commits: removes the ordered units from the holder's reservations and mirrors the
-- new stock (versioned), in one step so availability never double-counts the sold units.
-- KEYS[1] cart:{holder}, KEYS[2] carts:expiry, KEYS[3] carts:started
-- ARGV: keyPrefix, holder, then per product: productId, quantity, stock, stockVersion
local prefix, holder = ARGV[1], ARGV[2]
for i = 3, #ARGV, 4 do
  local productId, quantity = ARGV[i], tonumber(ARGV[i + 1])
  local stock, version = ARGV[i + 2], tonumber(ARGV[i + 3])
  local invKey = prefix .. 'inv:' .. productId
  local held = tonumber(redis.call('HGET', KEYS[1], productId) or '0')
  local consumed = math.min(held, quantity)
  if consumed > 0 then
    if held - consumed == 0 then
      redis.call('HDEL', KEYS[1], productId)
      redis.call('SREM', prefix .. 'holders:' .. productId, holder)
    else
      redis.call('HSET', KEYS[1], productId, held - consumed)
    end
    local reserved = redis.call('HINCRBY', invKey, 'reserved', -consumed)
    if reserved < 0 then redis.call('HSET', invKey, 'reserved', 0) end
  end
  if version > tonumber(redis.call('HGET', invKey, 'v') or '-1') then
    redis.call('HSET', invKey, 'stock', stock, 'v', version)
  end
end
if redis.call('HLEN', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], holder)
  redis.call('HDEL', KEYS[3], holder)
  redis.call('HDEL', prefix .. 'carts:currency', holder)
end
return 0

-- Shared by cart-clear.lua and release-expired.lua (prepended when the scripts are loaded).
-- Returns every reserved unit of one holder to availability and deletes the holder (its lines, expiry,
-- hold start, currency and its entries in the per-product holder sets).
-- Result: flat list productId, quantity, ... (watchers read availability when they are pushed to)
local function releaseCart(prefix, userId)
  local cartKey = prefix .. 'cart:' .. userId
  local lines = redis.call('HGETALL', cartKey)
  local released = {}
  for i = 1, #lines, 2 do
    local productId, quantity = lines[i], tonumber(lines[i + 1])
    local invKey = prefix .. 'inv:' .. productId
    if redis.call('HINCRBY', invKey, 'reserved', -quantity) < 0 then
      -- the mirror was rebuilt while this cart held units: never keep negative reservations
      redis.call('HSET', invKey, 'reserved', 0)
    end
    redis.call('SREM', prefix .. 'holders:' .. productId, userId)
    table.insert(released, productId)
    table.insert(released, quantity)
  end
  redis.call('DEL', cartKey)
  redis.call('ZREM', prefix .. 'carts:expiry', userId)
  redis.call('HDEL', prefix .. 'carts:started', userId)
  redis.call('HDEL', prefix .. 'carts:currency', userId)
  return released
end

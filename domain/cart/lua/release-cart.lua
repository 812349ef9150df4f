-- Shared by cart-clear.lua and release-expired.lua (prepended when the scripts are loaded).
-- Returns every reserved unit of one cart to availability and deletes the cart.
-- Result: flat list productId, quantity, availableAfter, ...
local function releaseCart(prefix, userId)
  local cartKey = prefix .. 'cart:' .. userId
  local lines = redis.call('HGETALL', cartKey)
  local released = {}
  for i = 1, #lines, 2 do
    local productId, quantity = lines[i], tonumber(lines[i + 1])
    local invKey = prefix .. 'inv:' .. productId
    local reserved = redis.call('HINCRBY', invKey, 'reserved', -quantity)
    if reserved < 0 then
      -- the mirror was rebuilt while this cart held units: never report negative reservations
      redis.call('HSET', invKey, 'reserved', 0)
      reserved = 0
    end
    local stock = tonumber(redis.call('HGET', invKey, 'stock') or '0')
    table.insert(released, productId)
    table.insert(released, quantity)
    table.insert(released, stock - reserved)
  end
  redis.call('DEL', cartKey)
  redis.call('ZREM', prefix .. 'carts:expiry', userId)
  return released
end

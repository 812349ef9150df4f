-- The stock mirror of several products in one command (a listing page asks for ~20 at once).
-- KEYS: inv:{productId}... Returns stock, reserved per key, in order (nil where the mirror has none).
local out = {}
for i, key in ipairs(KEYS) do
  local v = redis.call('HMGET', key, 'stock', 'reserved')
  out[2 * i - 1] = v[1]
  out[2 * i] = v[2]
end
return out

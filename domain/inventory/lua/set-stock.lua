-- Mirrors a product's stock from PostgreSQL. Versioned: a write older than the mirror is ignored, so
-- updates arriving out of order (catalog edits, checkouts, imports on other instances) converge.
-- KEYS[1] inv:{productId}, ARGV: stock, stockVersion
-- Returns available (stock - reserved) after the call.
local version = tonumber(ARGV[2])
local known = tonumber(redis.call('HGET', KEYS[1], 'v') or '-1')
if version > known then
  redis.call('HSET', KEYS[1], 'stock', ARGV[1], 'v', version)
end
local stock = tonumber(redis.call('HGET', KEYS[1], 'stock'))
return stock - tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')

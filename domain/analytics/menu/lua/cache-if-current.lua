-- Stores a computed analysis only if no change happened since the computation read the generation.
-- KEYS[1] = the merchant's cache hash, KEYS[2] = its generation counter
-- ARGV[1] = generation read before computing, ARGV[2] = field, ARGV[3] = JSON, ARGV[4] = TTL seconds
local current = redis.call('GET', KEYS[2]) or '0'
if current ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1

-- Hands every line (and so every reserved unit) of one holder to another, merging into what the
-- receiver already holds: a cart to its checkout, or a failed checkout back to the cart. The units
-- stay reserved throughout, and a second checkout of the same cart finds it empty.
-- KEYS[1] cart:{from}, KEYS[2] cart:{to}, KEYS[3] carts:expiry
-- ARGV: from, to, the receiver's expiresAt (ms)
-- Returns the moved lines, flat productId, quantity, …
local lines = redis.call('HGETALL', KEYS[1])
if #lines == 0 then return lines end
for i = 1, #lines, 2 do redis.call('HINCRBY', KEYS[2], lines[i], lines[i + 1]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
return lines

-- Keeps a driver's membership of its locality's idle set equal to "available, located, unassigned",
-- judged on the hash as it is now (atomic with concurrent claims).
-- KEYS[1] the driver's hash; ARGV: key prefix, driver id
local h = redis.call('HMGET', KEYS[1], 'locality', 'available', 'orderId', 'lat', 'lng')
if not h[1] or h[1] == '' then return 0 end
local idle = ARGV[1] .. 'drivers:idle:' .. h[1]
if h[2] == '1' and (not h[3] or h[3] == '') and h[4] and h[5] then
  redis.call('GEOADD', idle, h[5], h[4], ARGV[2])
  return 1
end
redis.call('ZREM', idle, ARGV[2])
return 0

-- Claims the nearest idle driver around a point for an order: search, removal from the idle set and
-- marking the driver assigned happen in one step, so two assignments can never take the same driver
-- and a location update cannot put a claimed driver back.
-- KEYS[1] geo set of idle drivers in a locality
-- ARGV: lng, lat, radius in metres, key prefix, order id
local found = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[1], ARGV[2], 'BYRADIUS', ARGV[3], 'm', 'ASC', 'COUNT', 1, 'WITHDIST')
if #found == 0 then return false end
local driver = found[1][1]
redis.call('ZREM', KEYS[1], driver)
redis.call('HSET', ARGV[4] .. 'driver:' .. driver, 'orderId', ARGV[5], 'delivering', '0')
return { driver, found[1][2] }

-- Takes one of a user's socket slots, shared by every instance. Each slot is a lease the instance that
-- holds the socket renews; a crashed instance's slots lapse by themselves.
-- KEYS[1] rt:sockets:{userId}  zset socketId -> lease end (ms)
-- ARGV: socketId, nowMs, leaseMs, cap
-- Returns 1 when the slot was taken, 0 when the user already holds `cap` live sockets.
local now, lease, cap = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= cap then return 0 end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
return 1

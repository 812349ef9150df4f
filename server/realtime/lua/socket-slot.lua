-- Takes one of a user's socket slots, shared by every instance. Each slot is a lease the instance that
-- holds the socket renews; a crashed instance's slots lapse by themselves. Also reads the user's
-- access-token revocation mark, so the handshake makes one round trip for both: identity judges the
-- mark it returns; a token signed at or before the mark takes no slot.
-- KEYS[1] rt:sockets:{userId}  zset socketId -> lease end (ms)
-- KEYS[2] the user's revocation mark (epoch ms; read only)
-- ARGV: socketId, nowMs, leaseMs, cap, the token's issuedAt (epoch ms)
-- Returns {1 when the slot was taken, 0 when the user already holds `cap` live sockets or the token is revoked; the mark or nil}.
local mark = redis.call('GET', KEYS[2])
if mark and tonumber(ARGV[5]) <= tonumber(mark) then return {0, mark} end
local now, lease, cap = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= cap then return {0, mark} end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
return {1, mark}

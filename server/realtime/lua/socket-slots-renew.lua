-- Renews the leases of many sockets' slots in one call (each instance, every 20 s, for its own sockets).
-- KEYS: each socket's user slot zset (rt:sockets:{userId}, repeated for a user's several sockets)
-- ARGV[1] the new lease end (ms), ARGV[2] lease ms, ARGV[3..] the socket ids, in the order of KEYS
-- XX: a slot already given back (disconnect) or lapsed is not brought back.
local untilMs, lease = ARGV[1], ARGV[2]
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', untilMs, ARGV[i + 2])
  redis.call('PEXPIRE', key, lease)
end
return #KEYS

-- Adds each user's events since the last flush of one instance to the user's count for the current
-- one-second window, shared by every instance; answers which users are now over the limit.
-- KEYS[i] rt:events:{userId}:{window}
-- ARGV: windowMs, limit, then one count per key
-- Returns one flag per key: 1 over the limit, 0 within it.
local windowMs, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local over = {}
for i = 1, #KEYS do
  local added = tonumber(ARGV[i + 2])
  local total = redis.call('INCRBY', KEYS[i], added)
  if total == added then redis.call('PEXPIRE', KEYS[i], windowMs * 2) end
  over[i] = total > limit and 1 or 0
end
return over

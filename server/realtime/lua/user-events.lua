-- Takes up to ARGV[3] events from a user's token bucket, shared by every instance (capacity ARGV[2],
-- refilled at ARGV[1] per second, on Redis's clock so instances' clocks do not matter).
-- KEYS[1] rt:events:{userId}  hash {tokens, at}
-- Returns {granted, waitMs}: waitMs, when nothing was granted, is how long until one event is.
local rate, capacity, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1] or capacity)
local at = tonumber(state[2] or now)
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
local waitMs = 0
if granted == 0 then waitMs = math.ceil((1 - tokens) * 1000 / rate) end
return {granted, waitMs}

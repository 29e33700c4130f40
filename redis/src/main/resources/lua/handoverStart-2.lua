--[[
  Starts a conversation's handover to a human, or refreshes the one in force: its end moves later, never earlier,
  and its start and who started it stay (core/Handovers startHandover).

  Input:
    KEYS[1]  the conversation's handover (hash: s since, u until or -1, b by)   <ns>:{p<N>}:ho:<conv>
    KEYS[2]  the partition's handover index (zset, conv -> until; +inf: no end)  <ns>:{p<N>}:hox
    ARGV[1]  conversation key   ARGV[2] length ms, -1 for no end   ARGV[3] who starts it (core/HandoverBy word)

  Output: { started, sinceMs, untilMs, by, endedSinceMs, endedUntilMs, endedBy }
    started    1 when none was in force (a "started" event is due), 0 for a refresh
    ended...   a handover that ran out and whose end was not announced yet (its "ended" event is due first);
               endedSinceMs -1 when none
]]
--- @include "keys"
--- @include "nowMs"
--- @include "handover"

local hk, forMs = KEYS[1], tonumber(ARGV[2])
local now = nowMs()
local cur = activeHandover(hk, now)
local ended = { -1, -1, '' }
if not cur and redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  local h = redis.call('HMGET', hk, 's', 'u', 'b')
  if h[1] then
    ended = { tonumber(h[1]), tonumber(h[2]), h[3] }
  end
end
local untilMs = forMs < 0 and -1 or now + forMs
local since, by = now, ARGV[3]
if cur then
  since, by = cur[1], cur[3]
  if cur[2] == -1 or (untilMs ~= -1 and untilMs <= cur[2]) then
    untilMs = cur[2]
  end
end
redis.call('HSET', hk, 's', since, 'u', untilMs, 'b', by)
if untilMs == -1 then
  redis.call('ZADD', KEYS[2], '+inf', ARGV[1])
  redis.call('PERSIST', hk)
else
  redis.call('ZADD', KEYS[2], untilMs, ARGV[1])
  -- Kept a day past its end, so the end is announced with who had started it even after a long worker outage.
  redis.call('PEXPIRE', hk, untilMs - now + 86400000)
end
return { cur and 0 or 1, since, untilMs, by, ended[1], ended[2], ended[3] }

--[[
  Lists one partition's handovers: those in force now, or those that ran out and whose end was not announced yet,
  oldest end first (core/Handovers handovers, expiredHandovers). Found through the index only, never KEYS/SCAN.

  Input:
    KEYS[1]  the partition's handover index (zset, conv -> until; +inf: no end)  <ns>:{p<N>}:hox
    ARGV[1]  partition key prefix, e.g. "rf:{p7}:"   ARGV[2] at most this many   ARGV[3] 'active' or 'expired'

  Output: { { conv, sinceMs, untilMs, by }, ... }
    an expired entry whose hash is gone (kept a day past its end) is dropped from the index and not listed
]]
--- @include "keys"
--- @include "nowMs"

local now = nowMs()
local convs
if ARGV[3] == 'expired' then
  convs = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
else
  convs = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'LIMIT', 0, tonumber(ARGV[2]))
end
local out = {}
for _, conv in ipairs(convs) do
  local h = redis.call('HMGET', ARGV[1] .. KEY_HANDOVER .. conv, 's', 'u', 'b')
  if h[1] then
    out[#out + 1] = { conv, tonumber(h[1]), tonumber(h[2]), h[3] }
  else
    redis.call('ZREM', KEYS[1], conv)
  end
end
return out

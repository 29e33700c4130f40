--[[
  Forgets an expired handover once its end was announced (core/Handovers forgetHandover): only that one, as its
  start and end say, and only once it ran out.

  Input:
    KEYS[1]  the conversation's handover (hash)    <ns>:{p<N>}:ho:<conv>
    KEYS[2]  the partition's handover index (zset) <ns>:{p<N>}:hox
    ARGV[1]  conversation key   ARGV[2] its sinceMs   ARGV[3] its untilMs

  Output: { forgotten }  1 forgotten; 0 it was started again or ended meanwhile (nothing changed)
]]
--- @include "keys"
--- @include "nowMs"
--- @include "handover"

local h = redis.call('HMGET', KEYS[1], 's', 'u')
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if activeHandover(KEYS[1], nowMs()) or not score or tonumber(score) ~= tonumber(ARGV[3])
    or (h[1] and (h[1] ~= ARGV[2] or h[2] ~= ARGV[3])) then
  return { 0 }
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return { 1 }

--[[
  Ends a conversation's handover in force (core/Handovers endHandover). An expired one is left to the worker, which
  announces its end.

  Input:
    KEYS[1]  the conversation's handover (hash)    <ns>:{p<N>}:ho:<conv>
    KEYS[2]  the partition's handover index (zset) <ns>:{p<N>}:hox
    ARGV[1]  conversation key

  Output: { sinceMs, untilMs, by } of the handover ended, or an empty table when none was in force
]]
--- @include "keys"
--- @include "nowMs"
--- @include "handover"

local cur = activeHandover(KEYS[1], nowMs())
if not cur then
  return {}
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return cur

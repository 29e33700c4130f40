--[[
  Releases a conversation's open batch now (reason "flush"); when a batch is in flight, right after it.

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  due index (zset)
    ARGV[1]  conversation key   ARGV[2] wake channel   ARGV[3] partition number

  Output: 0 nothing open, 1 due now, 2 due right after the in-flight batch
]]
--- @include "keys"
--- @include "nowMs"
--- @include "readConv"
--- @include "rules"
--- @include "schedule"

local c = readConv(KEYS[1])
if c.on <= 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'fl', 'flush')
if c.fid then
  return 2
end
schedule(KEYS[1], KEYS[2], ARGV[1], nowMs(), ARGV[2], ARGV[3])
return 1

--[[
  Extends the lease of an in-flight batch, so a long delivery is not taken over by another worker.

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  in-flight index (zset)
    ARGV[1]  conversation key   ARGV[2] batch id   ARGV[3] lease token   ARGV[4] lease ms

  Output: 1 renewed, -1 gone (acknowledged, dead-lettered or cleared), -2 taken over by another lease,
          -4 superseded
]]
--- @include "keys"
--- @include "nowMs"
--- @include "batchIndex"
--- @include "checkLease"

local r = checkLease(KEYS[1], ARGV[2], ARGV[3])
if r ~= 1 then
  return r
end
redis.call('ZADD', KEYS[2], 'XX', nowMs() + tonumber(ARGV[4]), ARGV[1])
return 1

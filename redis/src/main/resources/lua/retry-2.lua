--[[
  Delivery failed: the same batch is claimed again (attempt + 1) after a delay. The lease token stays, so
  the worker that asked can still dead-letter it if it decides to.

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  in-flight index (zset)
    ARGV[1]  conversation key   ARGV[2] batch id   ARGV[3] lease token
    ARGV[4]  delay ms           ARGV[5] error text (kept for inspection)
    ARGV[6]  wake channel       ARGV[7] partition number

  Output: 1 scheduled, -1 gone, -2 taken over by another lease, -4 superseded
]]
--- @include "keys"
--- @include "nowMs"
--- @include "batchIndex"
--- @include "checkLease"

local r = checkLease(KEYS[1], ARGV[2], ARGV[3])
if r ~= 1 then
  return r
end
local at = nowMs() + tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'fstate', 'retry', 'ferr', ARGV[5])
redis.call('ZADD', KEYS[2], at, ARGV[1])
redis.call('PUBLISH', ARGV[6], ARGV[7] .. ':' .. at)
return 1

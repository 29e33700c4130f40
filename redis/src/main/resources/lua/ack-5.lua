--[[
  The downstream has the batch: deletes it and schedules the conversation's next batch, if any.

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  in-flight batch (list)
    KEYS[3]  due index (zset)            KEYS[4]  in-flight index (zset)
    KEYS[5]  batch index (hash, batch id -> conversation key, for commits)   <ns>:{p<N>}:bx
    ARGV[1]  conversation key   ARGV[2] batch id   ARGV[3] lease token
    ARGV[4]  idle-state TTL ms  ARGV[5] wake channel   ARGV[6] partition number

  Output: 1 acknowledged, -1 gone, -2 taken over by another lease, -4 superseded (nothing changed)
]]
--- @include "keys"
--- @include "nowMs"
--- @include "readConv"
--- @include "rules"
--- @include "schedule"
--- @include "batchIndex"
--- @include "checkLease"
--- @include "finishFlight"

local r = checkLease(KEYS[1], ARGV[2], ARGV[3])
if r ~= 1 then
  return r
end
finishFlight(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1], nowMs(), tonumber(ARGV[4]), ARGV[5], ARGV[6],
  true)
return 1

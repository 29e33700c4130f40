--[[
  Gives up on an in-flight batch: keeps it as a dead letter and schedules the conversation's next batch.

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  in-flight batch (list)
    KEYS[3]  due index (zset)            KEYS[4]  in-flight index (zset)
    KEYS[5]  dead letters (hash, batch id -> JSON)   KEYS[6] dead-letter index (zset, batch id -> ms)
    KEYS[7]  the dead letter's messages (list, the in-flight entries as they were; kept for replay)
    KEYS[8]  batch index (hash, batch id -> conversation key, for commits)
    ARGV[1]  conversation key   ARGV[2] batch id   ARGV[3] lease token
    ARGV[4]  dead letter JSON (batch, reason, attempts)
    ARGV[5]  idle-state TTL ms  ARGV[6] wake channel   ARGV[7] partition number

  Output: 1 dead-lettered, -1 gone, -2 taken over by another lease, -4 superseded (nothing changed)
  Dead letters do not expire: an operator lists, replays or purges them.
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
local now = nowMs()
redis.call('HSET', KEYS[5], ARGV[2], ARGV[4])
redis.call('ZADD', KEYS[6], now, ARGV[2])
redis.call('RENAME', KEYS[2], KEYS[7])
finishFlight(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[8], ARGV[1], now, tonumber(ARGV[5]), ARGV[6], ARGV[7],
  false)
return 1

--[[
  A worker's answer to a withdraw request (append-6.lua code 3) for a batch awaiting its commit in a queue:
  withdrawn (the consumer never took it, and now never will) takes it back whatever the limits say now, since its
  messages exist nowhere else any more (append-6.lua already applied the rule); not withdrawn (the consumer has it)
  counts as committed. Either way the conversation's next batch is scheduled.

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  open batch (list)      KEYS[3]  in-flight batch (list)
    KEYS[4]  due index (zset)            KEYS[5]  in-flight index (zset)
    KEYS[6]  batch index (hash, batch id -> conversation key)
    ARGV[1]  conversation key   ARGV[2] batch id   ARGV[3] '1' withdrawn, '0' the consumer has it
    ARGV[4]  idle-state TTL ms  ARGV[5] wake channel   ARGV[6] partition number

  Output: -4 superseded (taken back), 1 finished as committed, -1 gone (not awaiting any more; nothing changed)
]]
--- @include "keys"
--- @include "nowMs"
--- @include "readConv"
--- @include "rules"
--- @include "schedule"
--- @include "entries"
--- @include "supersede"
--- @include "batchIndex"
--- @include "finishFlight"

local ck, openKey, flightKey, dueKey, inflightKey, bxKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local conv = ARGV[1]
local f = redis.call('HMGET', ck, 'fid', 'fstate', 'fcm', 'ffirst', 'fsx')
if f[1] ~= ARGV[2] or f[2] ~= 'awaiting' then
  return -1
end
local now = nowMs()
if ARGV[3] == '1' then
  local c = readConv(ck)
  local entries = redis.call('LRANGE', flightKey, 0, -1)
  takeBack(ck, openKey, flightKey, inflightKey, conv, c, f[4], f[5], entries, ARGV[5], ARGV[6])
  redis.call('HSET', ck, 'on', c.on, 'ob', c.ob, 'of', c.of)
  schedule(ck, dueKey, conv, now, ARGV[5], ARGV[6], c)
  return -4
end
finishFlight(ck, flightKey, dueKey, inflightKey, bxKey, conv, now, tonumber(ARGV[4]), ARGV[5], ARGV[6], true)
return 1

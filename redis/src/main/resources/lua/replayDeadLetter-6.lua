--[[
  Puts a dead letter's messages back in front of its conversation's open messages and releases them at once
  (reason "replay"), after the in-flight batch if there is one. The dead letter is removed.

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  open batch (list)   KEYS[3]  due index (zset)
    KEYS[4]  dead letters (hash)         KEYS[5]  dead-letter index (zset)
    KEYS[6]  the dead letter's messages (list)
    ARGV[1]  conversation key   ARGV[2] batch id   ARGV[3] wake channel   ARGV[4] partition number

  Output: number of messages replayed, or -1 when there is no such dead letter
]]
--- @include "keys"
--- @include "nowMs"
--- @include "readConv"
--- @include "entries"
--- @include "rules"
--- @include "schedule"

if redis.call('HEXISTS', KEYS[4], ARGV[2]) == 0 then
  return -1
end
local entries = redis.call('LRANGE', KEYS[6], 0, -1)
for i = #entries, 1, -1 do
  redis.call('LPUSH', KEYS[2], entries[i])
end
redis.call('DEL', KEYS[6])
redis.call('HDEL', KEYS[4], ARGV[2])
redis.call('ZREM', KEYS[5], ARGV[2])
if #entries == 0 then
  return 0
end
recount(KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'fl', 'replay')
redis.call('PERSIST', KEYS[1])
if not readConv(KEYS[1]).fid then
  schedule(KEYS[1], KEYS[3], ARGV[1], nowMs(), ARGV[3], ARGV[4])
end
return #entries

--[[
  Drops a conversation's open and in-flight messages (the original's DELETE /webhook/whatsapp/batched/:phone).
  A worker still delivering the dropped batch gets "gone" on its ack. The batch sequence is kept, so
  batch ids are never reused.

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  open batch (list)   KEYS[3]  in-flight batch (list)
    KEYS[4]  due index (zset)            KEYS[5]  in-flight index (zset)
    KEYS[6]  batch index (hash, batch id -> conversation key, for commits)
    ARGV[1]  conversation key   ARGV[2] idle-state TTL ms

  Output: number of messages dropped
]]
--- @include "keys"
--- @include "batchIndex"

local n = redis.call('LLEN', KEYS[2]) + redis.call('LLEN', KEYS[3])
local f = redis.call('HMGET', KEYS[1], 'fid', 'fsx', 'sx')
for i = 1, 3 do
  forgetBatches(KEYS[6], f[i])
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[1], 'on', 'ob', 'of', 'ol', 'fl',
  'fid', 'ftok', 'fatt', 'frsn', 'ffirst', 'flast', 'fseq', 'fstate', 'fworker', 'ferr', 'fcm', 'fsx', 'fsl', 'fwd', 'fwr', 'sx', 'sl', 'fsp')
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return n

--[[
  Deletes one dead letter and its kept messages.

  Input:
    KEYS[1]  dead letters (hash)   KEYS[2]  dead-letter index (zset)   KEYS[3]  the dead letter's messages (list)
    ARGV[1]  batch id

  Output: 1 deleted, 0 no such dead letter
]]
local n = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
return n

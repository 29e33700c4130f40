--[[
  Finds the open or in-flight conversations of one partition that received a message id (an operator's search,
  StoreAdmin.find): each indexed conversation's de-duplication set (seen:<conv>) is asked for the id. No index of
  its own, so appends pay nothing; Redis does one ZSCORE per open or in-flight conversation of the partition (about
  6,000 at 100,000 open over 16 partitions), which is for a person searching, never for the hot path.

  Input:
    KEYS[1]  due index (zset)        <ns>:{p<N>}:due
    KEYS[2]  in-flight index (zset)  <ns>:{p<N>}:inflight
    ARGV[1]  partition key prefix, e.g. "rf:{p7}:"   ARGV[2] the message id   ARGV[3] at most this many

  Output: { conv, ... }  the conversations whose de-duplication window holds the id
]]
--- @include "keys"

local prefix, id, max = ARGV[1], ARGV[2], tonumber(ARGV[3])
local found, seen = {}, {}
for _, index in ipairs({ KEYS[2], KEYS[1] }) do
  for _, conv in ipairs(redis.call('ZRANGE', index, 0, -1)) do
    if #found >= max then
      return found
    end
    if not seen[conv] and redis.call('ZSCORE', prefix .. KEY_SEEN .. conv, id) then
      seen[conv] = true
      found[#found + 1] = conv
    end
  end
end
return found

--[[
  Finds, in one page of a partition's due or in-flight index, the conversations that received a message id (an
  operator's search, StoreAdmin.find): each conversation's de-duplication set (seen:<conv>) is asked for the id. No
  index of its own, so appends pay nothing; a page is ARGV[4] conversations (one ZSCORE each), so one call holds Redis
  for a fraction of a millisecond and the caller walks the index page by page. For a person searching, never for the
  hot path.

  Input:
    KEYS[1]  due or in-flight index (zset)   <ns>:{p<N>}:due, <ns>:{p<N>}:inflight
    ARGV[1]  partition key prefix, e.g. "rf:{p7}:"   ARGV[2] the message id
    ARGV[3]  where the page starts (rank in the index)   ARGV[4] page size

  Output: { next, conv, ... }  next: the rank of the next page, -1 at the end; then the conversations whose
          de-duplication window holds the id
]]
--- @include "keys"

local prefix, id, from, size = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local convs = redis.call('ZRANGE', KEYS[1], from, from + size - 1)
local out = { #convs < size and -1 or from + size }
for _, conv in ipairs(convs) do
  if redis.call('ZSCORE', prefix .. KEY_SEEN .. conv, id) then
    out[#out + 1] = conv
  end
end
return out

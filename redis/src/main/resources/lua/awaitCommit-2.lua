--[[
  The bot has the batch and will commit later (HTTP 202 with Rapidfire-Commit: later): the lease ends and the
  batch waits for its commit, still supersedable, until the commit timeout or max wait after its first message
  (from then on nothing supersedes it), whichever comes first; then a claim finishes it as committed.

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  in-flight index (zset)
    ARGV[1]  conversation key   ARGV[2] batch id   ARGV[3] lease token   ARGV[4] commit timeout ms
    ARGV[5]  wake channel       ARGV[6] partition number
    ARGV[7]  '1': it waits in a queue its consumer takes it from (BullMQ): a new message asks for it to be
             withdrawn (append-6.lua code 3) instead of superseding it; '0' otherwise

  Output: 1 awaiting its commit, -1 gone, -2 taken over by another lease, -4 superseded
]]
--- @include "keys"
--- @include "nowMs"
--- @include "batchIndex"
--- @include "checkLease"

local r = checkLease(KEYS[1], ARGV[2], ARGV[3])
if r ~= 1 then
  return r
end
local f = redis.call('HMGET', KEYS[1], 'ffirst', 'pw', 'fcm')
local at = nowMs() + tonumber(ARGV[4])
if f[1] and f[2] then
  at = math.min(at, tonumber(f[1]) + tonumber(f[2]))
end
if f[3] == '1' or f[3] == 'h' then
  -- Its commit came first (a bot or consumer faster than this call): nothing to wait for, the next claim finishes it.
  at = nowMs()
end
redis.call('HSET', KEYS[1], 'fstate', 'awaiting', 'fwd', ARGV[7])
redis.call('ZADD', KEYS[2], at, ARGV[1])
redis.call('PUBLISH', ARGV[5], ARGV[6] .. ':' .. at)
return 1

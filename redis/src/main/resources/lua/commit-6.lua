--[[
  A bot asks, atomically, whether it may post its answer to a batch (one answer per thought,
  docs/release-rules.md). The caller found the conversation in the batch index first (HGET KEYS[5] batchId).

  Input:
    KEYS[1]  conversation state (hash)   KEYS[2]  in-flight batch (list)
    KEYS[3]  due index (zset)            KEYS[4]  in-flight index (zset)
    KEYS[5]  batch index (hash, batch id -> conversation key)
    KEYS[6]  the conversation's handover (hash, includes/handover.lua)
    ARGV[1]  conversation key   ARGV[2] batch id
    ARGV[3]  idle-state TTL ms  ARGV[4] wake channel   ARGV[5] partition number

  Output: { code, supersededBy, readyAtMs }
    code  1  committed: from now on a new message opens the next batch (asked again: 1 again while in flight); a
             batch awaiting its commit (fstate awaiting) is finished and the conversation's next batch scheduled
    code  2  superseded: supersededBy is the batch that carries its messages again, '' while not yet released
    code  3  not yet: the person is typing again or the commit floor has not passed (rules.lua ruleCommitReadyAt);
             ask again at readyAtMs (store clock)
    code  4  handed over: a human has the conversation (core/Handover); drop the answer. The batch is then the
             human's: nothing supersedes it (its messages never come back to the bot), one awaiting its commit is
             finished, and asked again the answer is 4 again (fcm 'h'). A commit already given stays given
    code -1  unknown: not in flight and not superseded (acknowledged, dead-lettered, cleared or never existed)
]]
--- @include "keys"
--- @include "nowMs"
--- @include "readConv"
--- @include "rules"
--- @include "schedule"
--- @include "batchIndex"
--- @include "finishFlight"
--- @include "handover"

local ck, id = KEYS[1], ARGV[2]
local f = redis.call('HMGET', ck, 'fid', 'fcm', 'fstate', 'fsx', 'sx', 'ffirst')
if f[1] ~= id then
  if inList(f[5], id) then
    return { 2, '', -1 }
  elseif inList(f[4], id) then
    return { 2, f[1], -1 }
  end
  return { -1, '', -1 }
end
local now = nowMs()
if f[2] == 'h' then
  if f[3] == 'awaiting' then
    finishFlight(ck, KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1], now, tonumber(ARGV[3]), ARGV[4], ARGV[5], true)
  end
  return { 4, '', -1 }
end
if f[2] ~= '1' then
  if activeHandover(KEYS[6], now) then
    redis.call('HSET', ck, 'fcm', 'h')
    if f[3] == 'awaiting' then
      finishFlight(ck, KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1], now, tonumber(ARGV[3]), ARGV[4], ARGV[5], true)
    end
    return { 4, '', -1 }
  end
  local ready = ruleCommitReadyAt(readConv(ck), tonumber(f[6]) or now)
  if ready > now then
    return { 3, '', ready }
  end
  redis.call('HSET', ck, 'fcm', '1')
end
if f[3] == 'awaiting' then
  finishFlight(ck, KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1], now, tonumber(ARGV[3]), ARGV[4], ARGV[5],
    true)
end
return { 1, '', -1 }

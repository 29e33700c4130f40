--[[
  Records a presence event (typing or stopped) in a conversation's pace and, when the conversation has an open
  batch that is not waiting behind an in-flight one, moves its deadline (held while composing, brought forward
  when the person stops). Never creates a batch: for a sender with nothing stored (typing their first message)
  only the pace is kept, so the first message can be released a grace after it is sent; for a sender who never
  wrote (ol = 0) only for ARGV[6] (the typing timeout), so made-up senders cost seconds of state, not a day.

  Input:
    KEYS[1]  conversation state (hash)       <ns>:{p<N>}:c:<conv>
    KEYS[2]  due index (zset)                <ns>:{p<N>}:due
    ARGV[1]  conversation key (member of the due index)
    ARGV[2]  '1' composing or recording, '0' stopped (paused, available, unavailable)
    ARGV[3]  wake channel          ARGV[4] partition number
    ARGV[5]  idle TTL ms (the de-duplication window): an idle conversation's state expires after it
    ARGV[6]  TTL ms of the state of a sender who never wrote (the typing timeout)

  Output: { code, dueAtMs }
    code  1  recorded; no open batch to move (dueAtMs -1), or it waits behind an in-flight batch
    code  2  recorded and the open batch rescheduled at dueAtMs
]]
--- @include "keys"
--- @include "nowMs"
--- @include "readConv"
--- @include "rules"
--- @include "schedule"

local ck, dueKey = KEYS[1], KEYS[2]
local c = readConv(ck)
local now = nowMs()
paceOnPresence(c, ARGV[2] == '1', now)
redis.call('HSET', ck, paceFields(c))
if c.on > 0 and not c.fid then
  return { 2, schedule(ck, dueKey, ARGV[1], now, ARGV[3], ARGV[4], c) }
end
if c.on == 0 and not c.fid then
  -- Idle or new: nothing pending lives here (invariant 7), the pace is garbage-collected like idle state; a
  -- sender who never wrote keeps it only while their typing could still matter.
  redis.call('PEXPIRE', ck, tonumber(c.ol == 0 and ARGV[6] or ARGV[5]))
end
return { 1, -1 }

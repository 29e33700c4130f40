--[[
  Appends several messages of ONE partition in one call (group commit: the appends that wait for the same
  partition while its previous call is out). Each message goes through exactly what append-6.lua does
  (includes/appendOne.lua), in the order given, so two messages of one conversation keep their order. One call,
  one TIME: every message of the group is stored at the same store time.

  Input (n messages; the key count is 2 + 4n, hence "-n" in the name):
    KEYS[1]          due index (zset)       <ns>:{p<N>}:due
    KEYS[2]          in-flight index (zset) <ns>:{p<N>}:inflight
    for message i (1-based), k = 2 + 4(i-1):
    KEYS[k+1]        its conversation state (hash)   <ns>:{p<N>}:c:<conv>
    KEYS[k+2]        its open batch (list)           <ns>:{p<N>}:open:<conv>
    KEYS[k+3]        its seen message ids (zset)     <ns>:{p<N>}:seen:<conv>
    KEYS[k+4]        its in-flight batch (list)      <ns>:{p<N>}:flight:<conv>

    ARGV[15(i-1)+1 .. 15i]  message i's arguments, as append-6.lua's ARGV[1..15]

  Output: a flat list, three numbers per message in order: { code, dueAtMs, openMessages, ... }, each triple as
  append-6.lua returns it; its code is
    code  1  appended
    code  2  appended, and the batch in flight was superseded
    code  3  appended; the batch in flight is being withdrawn from its queue
    code  0  duplicate: nothing changed
  An error ends the call: the messages before it are stored, and the caller answers every one of the group as not
  stored (a retry is recognised by its message id).
]]
--- @include "keys"
--- @include "nowMs"
--- @include "readConv"
--- @include "rules"
--- @include "schedule"
--- @include "entries"
--- @include "supersede"

--- @include "appendOne"

local now = nowMs()
local out = {}
local n = (#KEYS - 2) / 4
for i = 1, n do
  local k, o = 2 + 4 * (i - 1), 15 * (i - 1)
  local a = {}
  for j = 1, 15 do
    a[j] = ARGV[o + j]
  end
  local r = appendOne(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[1], KEYS[k + 4], KEYS[2], a, now)
  out[#out + 1], out[#out + 2], out[#out + 3] = r[1], r[2], r[3]
end
return out

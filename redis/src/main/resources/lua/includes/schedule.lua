-- Puts the conversation's open batch in the due index at its deadline (DESIGN.md invariant 5) and wakes
-- the workers when that deadline is earlier than anything they were sleeping towards.
-- The open list can hold more than one batch's worth (messages that arrived while a batch was in
-- flight); then the head is full and due at once. Returns the deadline, or -1 when nothing is open.
-- known: the conversation's fields when the caller has just written them (saves a read), else nil.
-- Needs: readConv, rules.
local function schedule(ck, dueKey, conv, now, channel, partition, known)
  local c = known or readConv(ck)
  if c.on <= 0 then
    return -1
  end
  local due = ruleDeadline(c, now)
  local earliest = redis.call('ZRANGE', dueKey, 0, 0, 'WITHSCORES')
  redis.call('ZADD', dueKey, due, conv)
  if earliest[2] == nil or due < tonumber(earliest[2]) then
    redis.call('PUBLISH', channel, partition .. ':' .. due)
  end
  return due
end

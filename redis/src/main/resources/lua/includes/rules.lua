-- The release rules (DESIGN.md invariant 5): the Lua half of core/ReleaseRules.java. Pure functions of the
-- counters, the policy and a time passed in; the table of cases src/test/resources/release-rules.json is
-- run against both halves and every store (ReleaseRulesTableTest, BatchStoreContract), so they cannot drift.
--   c: the conversation's fields as readConv returns them (on ob of ol pq pw pn pb fl)

-- Deadline of the open batch: now when a release was asked for (fl) or a limit is reached, else the earlier
-- of last + quiet and first + max wait.
local function ruleDeadline(c, now)
  if c.fl ~= '' or c.on >= c.pn or c.ob >= c.pb then
    return now
  end
  return math.min(c.ol + c.pq, c.of + c.pw)
end

-- How a claim cuts a batch off the head of the open messages: at most pn of them, stopping before the first
-- that would take the batch past pb bytes (the first is always taken). sizes: content bytes in arrival order.
-- Returns taken, bytes, cutByBytes.
local function ruleCut(sizes, pn, pb)
  local n, bytes = 0, 0
  for i = 1, math.min(#sizes, pn) do
    if n > 0 and bytes + sizes[i] > pb then
      return n, bytes, true
    end
    n = n + 1
    bytes = bytes + sizes[i]
  end
  return n, bytes, false
end

-- Why the batch is released: the release asked for, else passthrough (quiet 0 and max 1 message: batching
-- off), max_messages, max_bytes, and of the two time rules the one whose deadline came first (tie: quiet).
local function ruleReason(n, bytes, cutByBytes, first, last, c)
  if c.fl ~= '' then
    return c.fl
  elseif c.pq == 0 and c.pn == 1 then
    return 'passthrough'
  elseif n >= c.pn then
    return 'max_messages'
  elseif cutByBytes or bytes >= c.pb then
    return 'max_bytes'
  elseif first + c.pw < last + c.pq then
    return 'max_wait'
  end
  return 'quiet'
end

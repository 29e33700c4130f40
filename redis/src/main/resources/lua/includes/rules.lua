-- The release rules (DESIGN.md invariant 5; docs/release-rules.md): the Lua half of core/ReleaseRules.java and
-- core/Pace.java. Pure functions of the counters, the policy, the pace and a time passed in; the table of cases
-- src/test/resources/release-rules.json is run against both halves and every store (ReleaseRulesTableTest,
-- BatchQueueContract), so they cannot drift.
--   c: the conversation's fields as readConv returns them

-- Pace: the learned gap (RFC 6298 smoothing: first sample R gives mean R, deviation R/2; then deviation =
-- (3 deviation + |mean - R|) / 4, mean = (7 mean + R) / 8). Integer steps, as in Java.
local function paceSample(c, gap)
  local r = math.max(1, gap)
  if c.gm == 0 then
    c.gm, c.gd = r, math.floor(r / 2)
  else
    c.gd = math.floor((3 * c.gd + math.abs(c.gm - r)) / 4)
    c.gm = math.floor((7 * c.gm + r) / 8)
  end
end

-- The person is composing when the latest composing came after the latest message and the latest stop;
-- otherwise they stopped at the later of those two (a message ends composing: sending it writes only ol).
local function paceStopAt(c)
  return math.max(c.ol, c.ys)
end

local function paceComposing(c)
  return c.yc > paceStopAt(c)
end

-- A message stored at now (call before ol is set to now): without presence its gap (up to the quiet period) is a
-- sample. A composing in the same millisecond came before the message: the later event wins. Returns whether
-- gm/gd changed and whether yc changed (both rare: the caller writes them only then).
local function paceOnMessage(c, now)
  local sampled, bumped = false, false
  if c.af >= 0 and c.yp == 0 and c.ol > 0 and now - c.ol <= c.pq then
    paceSample(c, now - c.ol)
    sampled = true
  end
  if c.yc >= now then
    c.yc = now - 1
    bumped = true
  end
  return sampled, bumped
end

-- A presence event: typing (composing, recording) or stopped. The pause before typing again is a sample; a stop
-- while not composing changes nothing.
local function paceOnPresence(c, typing, now)
  if typing then
    if c.af >= 0 and not paceComposing(c) and now - paceStopAt(c) <= c.pq then
      paceSample(c, now - paceStopAt(c))
    end
    -- In the same millisecond as a message or a stop, this later event wins.
    c.yc = math.max(now, paceStopAt(c) + 1)
  elseif paceComposing(c) then
    c.ys = now
  end
  c.yp = 1
end

local function paceWindow(c)
  if c.gm == 0 then
    return -1
  end
  return c.gm + 4 * c.gd
end

-- The release asked for at append: the caller's (media, keyword), else the first message of a new conversation
-- when the policy says so (firstAtOnce '1'); c is read before the append.
local function ruleAskedAtAppend(c, asked, firstAtOnce)
  if asked == '' and firstAtOnce == '1' and c.ol == 0 then
    return 'first_message'
  end
  return asked
end

local function ruleByTyping(c)
  return c.tg >= 0 and c.pq > 0 and c.yp == 1
end

-- The learned window within [lo, hi] when adaptive is on and there is a sample, else otherwise.
local function ruleLearned(c, lo, hi, otherwise)
  local w = paceWindow(c)
  if c.af < 0 or w < 0 then
    return otherwise
  end
  return math.min(hi, math.max(w, lo))
end

-- Without presence: the quiet period, or the learned window within [floor, quiet].
local function ruleQuietWait(c)
  return ruleLearned(c, c.af, c.pq, c.pq)
end

-- After a stop: the grace, or the learned pause before typing again within [grace, max(quiet, grace)].
local function ruleStopWait(c)
  return ruleLearned(c, c.tg, math.max(c.pq, c.tg), c.tg)
end

-- With presence: the composing timeout or the stop plus the wait; without: last message plus the quiet wait.
local function ruleTime(c, last)
  if ruleByTyping(c) then
    if paceComposing(c) then
      return c.yc + c.tt
    end
    return paceStopAt(c) + ruleStopWait(c)
  end
  return last + ruleQuietWait(c)
end

-- Deadline of the open batch: now when a release was asked for (fl) or a limit is reached, else the earlier
-- of the time rule and first + max wait.
-- The max messages an append keeps: an open batch holding an album (appended with RULE_ALBUM_MAX_MESSAGES, the most
-- a batch may hold) keeps that room until it is claimed, so the words after an album cannot cut it
-- (ReleaseRules.keepAlbumRoom). c.on: open messages before this one; c.spn: the stored max messages.
local RULE_ALBUM_MAX_MESSAGES = 1000
local function ruleKeepAlbumRoom(c, pn)
  if c.on > 0 and c.spn == RULE_ALBUM_MAX_MESSAGES then
    return RULE_ALBUM_MAX_MESSAGES
  end
  return pn
end

local function ruleDeadline(c, now)
  if c.fl ~= '' or c.on >= c.pn or c.ob >= c.pb then
    return now
  end
  return math.min(ruleTime(c, c.ol), c.of + c.pw)
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
-- off), max_messages, max_bytes, and of max wait and the time rule the one whose deadline came first (tie: the
-- time rule, which names itself).
local function ruleReason(n, bytes, cutByBytes, first, last, c)
  if c.fl ~= '' then
    return c.fl
  elseif c.pq == 0 and c.pn == 1 then
    return 'passthrough'
  elseif n >= c.pn then
    return 'max_messages'
  elseif cutByBytes or bytes >= c.pb then
    return 'max_bytes'
  elseif first + c.pw < ruleTime(c, last) then
    return 'max_wait'
  elseif ruleByTyping(c) then
    return 'typing_stopped'
  elseif ruleQuietWait(c) < c.pq then
    return 'adaptive_quiet'
  end
  return 'quiet'
end

-- One answer per thought (docs/release-rules.md). A message just appended supersedes the batch in flight when the
-- policy says so (sp), the bot has not committed, and the merged batch keeps the limits: messages, bytes, and its
-- first message younger than max wait (no endless chain). fn/fb: the flight's messages and bytes; c.on/c.ob
-- include the new message.
local function ruleSupersedes(c, committed, fn, fb, ffirst, now)
  return c.sp == 1 and not committed and fn + c.on <= c.pn and fb + c.ob <= c.pb and now < ffirst + c.pw
end

-- From when a bot's commit may succeed: the floor (cn) after the last message; with presence, while the person
-- types again their composing timeout (re-checked at each presence event), after they stopped the stop plus the
-- grace; never later than max wait after the batch's first message (from then on nothing supersedes it). Under
-- queue (sp 0) nothing waits: nothing can take the batch back.
local function ruleCommitReadyAt(c, batchFirst)
  if c.sp ~= 1 then
    return c.ol
  end
  local at = c.ol + c.cn
  if ruleByTyping(c) then
    if paceComposing(c) then
      at = math.max(at, c.yc + c.tt)
    elseif c.ys > c.ol then
      at = math.max(at, c.ys + c.tg)
    end
  end
  return math.min(at, batchFirst + c.pw)
end

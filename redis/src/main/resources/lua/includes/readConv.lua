-- Reads the open-batch counters, the policy stored with them, the conversation's pace and the in-flight batch id.
--   on/ob  open messages / open content bytes       of/ol  store time of the first / last open message
--   pq pw pn pb  quiet ms, max wait ms, max messages, max bytes (policy of the latest append)
--   tg tt af     typing grace ms (-1: typing-aware off), typing timeout ms, adaptive floor ms (-1: adaptive off),
--   sp cn        supersede (1) or queue (0) a message during delivery, commit floor ms after the last message;
--                the five stored together as px = "tg,tt,af,sp,cn" (Policy.paceSpec)
--   fl     a release asked for now ('flush', 'media', 'keyword', 'first_message'), '' if none
--   fid    id of the in-flight batch, false if none
--   pj     joiner of the policy of the latest append; false in state written before it was recorded (the
--          caller then uses its configured joiner)
--   ol is also the pace's latest message (kept when the open list empties; 0: a new conversation).
--   The pace (core/Pace.java): yp presence seen (1/0), yc latest composing ms, ys latest stop while composing ms,
--   gm/gd learned gap mean/deviation ms.
--   sx/sl  superseded batches whose messages are open again (ids, oldest first; false if none), and the last store
--          time of those messages (-1 if none): the next batch claimed carries them (one answer per thought).
-- "tg,tt,af,sp,cn" (Policy.paceSpec) -> tg, tt, af, sp, cn; a state written before px existed: typing, adaptive
-- and supersede off; before sp and cn existed (three fields): supersede off, no commit floor.
local function parsePace(px)
  if not px then
    return -1, 10000, -1, 0, 0
  end
  local a, b, c, d, e = string.match(px, '^(-?%d+),(%d+),(-?%d+),?(%d*),?(%d*)$')
  return tonumber(a), tonumber(b), tonumber(c), tonumber(d) or 0, tonumber(e) or 0
end

local function readConv(ck)
  local v = redis.call('HMGET', ck, 'on', 'ob', 'of', 'ol', 'pq', 'pw', 'pn', 'pb', 'fl', 'fid', 'pj', 'px',
    'yp', 'yc', 'ys', 'gm', 'gd', 'sx', 'sl')
  local tg, tt, af, sp, cn = parsePace(v[12])
  return {
    on = tonumber(v[1]) or 0, ob = tonumber(v[2]) or 0, of = tonumber(v[3]) or 0, ol = tonumber(v[4]) or 0,
    pq = tonumber(v[5]) or 0, pw = tonumber(v[6]) or 0, pn = tonumber(v[7]) or 1, pb = tonumber(v[8]) or 1,
    fl = v[9] or '', fid = v[10], pj = v[11], tg = tg, tt = tt, af = af, sp = sp, cn = cn,
    yp = tonumber(v[13]) or 0, yc = tonumber(v[14]) or 0, ys = tonumber(v[15]) or 0, gm = tonumber(v[16]) or 0,
    gd = tonumber(v[17]) or 0, sx = v[18], sl = tonumber(v[19]) or -1
  }
end

-- What an append needs, without the stored policy: the append brings its own (the caller sets pq pw pn pb and
-- writes them back), so reading and parsing the old one would be wasted on the hottest path. Only the stored max
-- messages (spn) is read: an open batch holding an album keeps the album's room (rules.lua ruleKeepAlbumRoom).
local function readConvForAppend(ck, px)
  local v = redis.call('HMGET', ck, 'on', 'ob', 'of', 'ol', 'fl', 'fid', 'yp', 'yc', 'ys', 'gm', 'gd', 'pn')
  local tg, tt, af, sp, cn = parsePace(px)
  return {
    on = tonumber(v[1]) or 0, ob = tonumber(v[2]) or 0, of = tonumber(v[3]) or 0, ol = tonumber(v[4]) or 0,
    fl = v[5] or '', fid = v[6], tg = tg, tt = tt, af = af, sp = sp, cn = cn,
    yp = tonumber(v[7]) or 0, yc = tonumber(v[8]) or 0, ys = tonumber(v[9]) or 0, gm = tonumber(v[10]) or 0,
    gd = tonumber(v[11]) or 0, spn = tonumber(v[12]) or 0
  }
end

-- The presence fields, written back by a presence event (a message writes only ol, and gm/gd when it samples).
local function paceFields(c)
  return 'yp', c.yp, 'yc', c.yc, 'ys', c.ys, 'gm', c.gm, 'gd', c.gd
end

--[[
  One message appended (append-6.lua's rules, its header): shared by append-6.lua and appendGroup-n.lua, which
  appends several messages of one partition in one call. `a` holds the 15 arguments of append-6.lua's ARGV, `now`
  the call's time (one TIME per call). Returns { code, dueAtMs, openMessages } as append-6.lua documents.
  Needs the includes keys, readConv, rules, schedule, entries and supersede.
]]
local function appendOne(ck, openKey, seenKey, dueKey, flightKey, inflightKey, a, now)
  local conv, id, json, bytes = a[1], a[2], a[3], tonumber(a[4])
  local window = tonumber(a[9])

  if id ~= '' then
    -- ZADD NX answers 0 when the id is already there: one command to test and remember.
    if redis.call('ZADD', seenKey, 'NX', now, id) == 0 then
      return { 0, -1, tonumber(redis.call('HGET', ck, 'on')) or 0 }
    end
    redis.call('ZREMRANGEBYSCORE', seenKey, '-inf', now - window)
    redis.call('PEXPIRE', seenKey, window)
  end

  redis.call('RPUSH', openKey, now .. '|' .. bytes .. '|' .. json)
  local c = readConvForAppend(ck, a[14])
  c.pq, c.pw, c.pn, c.pb = tonumber(a[5]), tonumber(a[6]), ruleKeepAlbumRoom(c, tonumber(a[7])), tonumber(a[8])
  local asked = ruleAskedAtAppend(c, a[12], a[15])
  local idleBefore = c.on == 0 and not c.fid
  c.on = c.on + 1
  c.ob = c.ob + bytes
  if idleBefore or c.on == 1 then
    c.of = now
  end
  local sampled, bumped = paceOnMessage(c, now)
  if sampled then
    redis.call('HSET', ck, 'gm', c.gm, 'gd', c.gd)
  end
  if bumped then
    redis.call('HSET', ck, 'yc', c.yc)
  end
  c.ol = now
  local code = 1
  if c.fid and c.sp == 1 then
    -- Only here (a message while a batch is out, under supersede) does the append read the flight: the hot path
    -- pays nothing for the rule.
    local f = redis.call('HMGET', ck, 'fcm', 'ffirst', 'fsx', 'fstate', 'fwd', 'fwr')
    local entries = redis.call('LRANGE', flightKey, 0, -1)
    if flightSupersedable(c, f[1], f[2], entries, now) then
      if f[4] == 'awaiting' and f[5] == '1' then
        -- In a queue its consumer may have taken already: ask the workers to withdraw it (settle-6.lua answers).
        if f[6] ~= '1' then
          redis.call('HSET', ck, 'fwr', '1')
          redis.call('PUBLISH', a[10], 'w:' .. a[11] .. ':' .. c.fid)
        end
        code = 3
      else
        takeBack(ck, openKey, flightKey, inflightKey, conv, c, f[2], f[3], entries, a[10], a[11])
        code = 2
      end
    end
  end
  redis.call('HSET', ck, 'on', c.on, 'ob', c.ob, 'of', c.of, 'ol', now, 'pq', a[5], 'pw', a[6], 'pn', c.pn,
    'pb', a[8], 'pj', a[13], 'px', a[14])
  if asked ~= '' and c.fl == '' then
    redis.call('HSET', ck, 'fl', asked)
    c.fl = asked
  end
  if idleBefore then
    -- Pending work never expires (invariant 7): only an idle conversation's state had a TTL.
    redis.call('PERSIST', ck)
  end

  local due = -1
  if not c.fid then
    due = schedule(ck, dueKey, conv, now, a[10], a[11], c)
  end
  return { code, due, c.on }
end

-- One answer per thought (docs/release-rules.md): taking a batch back from the bot. Needs: entries, rules.

-- Content bytes and latest store time of the flight's entries.
local function flightMeta(entries)
  local fb, last = 0, 0
  for _, e in ipairs(entries) do
    local t, b = entryMeta(e)
    fb, last = fb + b, math.max(last, t)
  end
  return fb, last
end

-- The rule (ruleSupersedes) for the flight as stored: f = HMGET ck 'fcm', 'ffirst' (first two fields).
local function flightSupersedable(c, fcm, ffirst, entries, now)
  local fb = flightMeta(entries)
  -- '1' committed by the bot, 'h' refused because a human has the chat: either way nothing takes it back
  return ruleSupersedes(c, fcm == '1' or fcm == 'h', #entries, fb, tonumber(ffirst) or now, now)
end

-- The batch in flight goes back to the head of the open batch: the next batch carries its messages and the open
-- ones. sx/sl record the chain (oldest first) and the last store time of the messages the bot had seen; the wake
-- channel says "x:<partition>:<batchId>" so the worker delivering it stops. Updates c.on/c.ob/c.of (the caller
-- writes them); leaves the flight's batch ids in the batch index (a late commit is answered 409).
local function takeBack(ck, openKey, flightKey, inflightKey, conv, c, ffirst, fsx, entries, channel, partition)
  local fb, last = flightMeta(entries)
  local chain = c.fid
  if fsx and fsx ~= '' then
    chain = fsx .. ',' .. c.fid
  end
  for i = #entries, 1, -1 do
    redis.call('LPUSH', openKey, entries[i])
  end
  c.on, c.ob = c.on + #entries, c.ob + fb
  c.of = math.min(c.of > 0 and c.of or math.huge, tonumber(ffirst) or c.of)
  redis.call('DEL', flightKey)
  redis.call('HDEL', ck, 'fid', 'ftok', 'fatt', 'frsn', 'ffirst', 'flast', 'fseq', 'fstate', 'fworker', 'ferr', 'fcm',
    'fsx', 'fsl', 'fwd', 'fwr', 'fsp')
  redis.call('HSET', ck, 'sx', chain, 'sl', last)
  redis.call('ZREM', inflightKey, conv)
  redis.call('PUBLISH', channel, 'x:' .. partition .. ':' .. c.fid)
  c.fid = false
end

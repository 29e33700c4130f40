-- Reads the open-batch counters, the policy stored with them and the in-flight batch id.
--   on/ob  open messages / open content bytes       of/ol  store time of the first / last open message
--   pq pw pn pb  quiet ms, max wait ms, max messages, max bytes (policy of the latest append)
--   fl     a release asked for now ('flush' by an operator, 'media' by a media message), '' if none
--   fid    id of the in-flight batch, false if none
--   pj     joiner of the policy of the latest append; false in state written before it was recorded (the
--          caller then uses its configured joiner)
local function readConv(ck)
  local v = redis.call('HMGET', ck, 'on', 'ob', 'of', 'ol', 'pq', 'pw', 'pn', 'pb', 'fl', 'fid', 'pj')
  return {
    on = tonumber(v[1]) or 0, ob = tonumber(v[2]) or 0, of = tonumber(v[3]) or 0, ol = tonumber(v[4]) or 0,
    pq = tonumber(v[5]) or 0, pw = tonumber(v[6]) or 0, pn = tonumber(v[7]) or 1, pb = tonumber(v[8]) or 1,
    fl = v[9] or '', fid = v[10], pj = v[11]
  }
end

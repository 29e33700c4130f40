-- A conversation's handover to a human (core/Handover), hash <prefix>ho:<conv>: s since, u until (-1: no end),
-- b who started it. Returns { since, until, by } while it holds at now (it ends exactly at until), else nil.
local function activeHandover(hk, now)
  local h = redis.call('HMGET', hk, 's', 'u', 'b')
  local u = tonumber(h[2])
  if u and (u == -1 or u > now) then
    return { tonumber(h[1]), u, h[3] }
  end
  return nil
end

-- Only whether one is in force (the claim asks for every batch it takes): one field read.
local function handedOver(hk, now)
  local u = tonumber(redis.call('HGET', hk, 'u'))
  return u ~= nil and (u == -1 or u > now)
end

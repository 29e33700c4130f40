-- Open-list entries are "<store ms>|<content bytes>|<json>": the limits and deadlines work on the prefix
-- without decoding JSON.
local function entryMeta(e)
  local a = string.find(e, '|', 1, true)
  local b = string.find(e, '|', a + 1, true)
  return tonumber(string.sub(e, 1, a - 1)), tonumber(string.sub(e, a + 1, b - 1))
end

-- Recomputes the open counters from what is left in the open list after a claim cut a batch off it.
local function recount(ck, openKey)
  local rest = redis.call('LRANGE', openKey, 0, -1)
  if #rest == 0 then
    redis.call('HSET', ck, 'on', 0, 'ob', 0, 'fl', '')
    -- ol stays: it is also the pace's latest message (rules.lua).
    redis.call('HDEL', ck, 'of')
    return
  end
  local bytes, first, last = 0, nil, nil
  for _, e in ipairs(rest) do
    local ts, b = entryMeta(e)
    bytes = bytes + b
    first = first or ts
    last = ts
  end
  redis.call('HSET', ck, 'on', #rest, 'ob', bytes, 'of', first, 'ol', last, 'fl', '')
end

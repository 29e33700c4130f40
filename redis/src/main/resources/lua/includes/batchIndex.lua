-- The batch index (<ns>:{p<N>}:bx, batch id -> conversation key) lets a bot's commit find its batch: it holds the
-- batches in flight and the ones they superseded. Id lists (sx, fsx) are comma-separated, oldest first.
local function inList(list, id)
  return list ~= nil and list ~= false and string.find(',' .. list .. ',', ',' .. id .. ',', 1, true) ~= nil
end

-- A finished batch's tombstone (keys.lua KEY_TOMBSTONE), for a commit that comes after the batch left the index: 'c'
-- (counts as committed: answer), 'h' (a human had it: do not) or 's:<id>' (superseded by that batch: do not). Kept
-- TOMBSTONE_MS (10 minutes; MemoryState.TOMBSTONE_MS).
local TOMBSTONE_MS = 600000

local function tombstone(prefix, batchId, value)
  redis.call('SET', prefix .. KEY_TOMBSTONE .. batchId, value, 'PX', TOMBSTONE_MS)
end

local function forgetBatches(bxKey, ids)
  if ids and ids ~= '' then
    for id in string.gmatch(ids, '[^,]+') do
      redis.call('HDEL', bxKey, id)
    end
  end
end

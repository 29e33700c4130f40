-- Names of the keys a script finds only at run time (the conversations a claim takes, a finished batch's
-- tombstone, the manual clock), built from a partition's prefix "<ns>:{p<N>}:". RedisKeys is the source of these
-- patterns; KeyPatternsTest renders both for one conversation and fails when they differ. Keys a script knows
-- up-front come from Java in KEYS.
local function prefixOf(key)
  return string.match(key, '^.-}:')
end

local function convKey(prefix, conv)
  return prefix .. 'c:' .. conv
end

local function openKey(prefix, conv)
  return prefix .. 'open:' .. conv
end

local function flightKey(prefix, conv)
  return prefix .. 'flight:' .. conv
end

local function batchIndexKey(prefix)
  return prefix .. 'bx'
end

local function tombstoneKey(prefix, batchId)
  return prefix .. 'done:' .. batchId
end

local function clockKey(prefix)
  return prefix .. 'clock'
end

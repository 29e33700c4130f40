-- Replaces nowMs only in a store built with manualClock() (tests of the release rules on a clock they set):
-- the time is the number in the clock key (keys.lua clockKey) of the partition of the script's first key, or
-- Redis TIME while that key does not exist. Never used by a deployed process.
local function nowMs()
  local prefix = string.match(KEYS[1], KEY_PREFIX_PATTERN)
  local set = prefix and redis.call('GET', prefix .. KEY_CLOCK)
  if set then
    return tonumber(set)
  end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The store's clock (DESIGN.md invariant 6): every deadline and lease is measured with Redis TIME,
-- never with the clock of the process that calls the script.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

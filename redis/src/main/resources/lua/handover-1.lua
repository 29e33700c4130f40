--[[
  A conversation's handover in force now, on the store's clock (core/Handovers handover).

  Input:
    KEYS[1]  the conversation's handover (hash)    <ns>:{p<N>}:ho:<conv>

  Output: { sinceMs, untilMs, by }, or an empty table when the bot answers
]]
--- @include "keys"
--- @include "nowMs"
--- @include "handover"

return activeHandover(KEYS[1], nowMs()) or {}

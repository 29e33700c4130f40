--[[
  Claims up to ARGV[2] batches of one partition under a lease: first in-flight batches whose lease expired
  or whose retry time came (the same batch again: same id, same messages, attempt + 1), then open batches
  whose deadline passed. Found through the two indexes only, never KEYS/SCAN (invariant 8); every key
  touched carries the partition's hash tag (invariant 9).

  Input:
    KEYS[1]  due index (zset)        <ns>:{p<N>}:due
    KEYS[2]  in-flight index (zset, conv -> lease expiry or retry time)  <ns>:{p<N>}:inflight

    ARGV[1]  partition key prefix, e.g. "rf:{p7}:" (per-conversation keys are built from it)
    ARGV[2]  max batches to claim
    ARGV[3]  lease ms
    ARGV[4]  worker id (shown in inspection)
    ARGV[5]  token seed, unique per call; lease token = seed .. ':' .. n
    ARGV[6]  idle-state TTL ms      ARGV[7] wake channel      ARGV[8] partition number
             (a batch awaiting its commit whose commit timeout passed is finished here: it counts as committed)

  Output: { nowMs, nextDueAtMs, batches, anomalies }
    nextDueAtMs  earliest score left in either index, -1 when both are empty
    batches      { conv, batchId, token, attempt, reason, firstMs, lastMs, seq, entries, lateMs, joiner,
                   supersedes, earlierUpToMs, supersedable, handover }
                 entries in arrival order, each "<store ms>|<bytes>|<json>"
                 lateMs: how long after its deadline a new batch was claimed; -1 for a redelivery
                 reason: includes/rules.lua (ruleReason); the cut: ruleCut
                 joiner: the policy's joiner recorded by the latest append, false if none was recorded
                 supersedes: ids of the batches this one supersedes, comma-separated ('' none); earlierUpToMs:
                 their messages' last store time (-1 none). A new batch's id enters the batch index <prefix>bx.
                 supersedable: 1 when the batch was claimed under a policy that supersedes (fsp; px before it was
                 recorded) and is neither committed nor the human's, else 0
                 handover: 1 when a human has the conversation now (includes/handover.lua) or had it when the
                 batch was first claimed or its commit refused (fcm 'h': it stays theirs), else 0
    anomalies    conversations that were indexed but whose batch was missing (deleted by something
                 that is not Rapidfire); they are dropped from the index and reported by the caller
]]
--- @include "keys"
--- @include "nowMs"
--- @include "readConv"
--- @include "entries"
--- @include "rules"
--- @include "schedule"
--- @include "batchIndex"
--- @include "finishFlight"
--- @include "handover"

local dueKey, inflightKey = KEYS[1], KEYS[2]
local prefix, max, leaseMs, worker, seed = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
local now = nowMs()
local batches, anomalies = {}, {}

-- 1. Expired leases and due retries.
for _, conv in ipairs(redis.call('ZRANGEBYSCORE', inflightKey, '-inf', now, 'LIMIT', 0, max)) do
  local ck = prefix .. KEY_CONV .. conv
  local f = redis.call('HMGET', ck, 'fid', 'frsn', 'ffirst', 'flast', 'fseq', 'pj', 'fstate', 'fsx', 'fsl', 'px',
    'fsp', 'fcm')
  local entries = redis.call('LRANGE', prefix .. KEY_FLIGHT .. conv, 0, -1)
  if not f[1] or #entries == 0 then
    redis.call('ZREM', inflightKey, conv)
    anomalies[#anomalies + 1] = conv
  elseif f[7] == 'awaiting' then
    -- The bot took it to commit later and the commit timeout passed: it counts as committed.
    finishFlight(ck, prefix .. KEY_FLIGHT .. conv, dueKey, inflightKey, prefix .. KEY_BATCHES, conv, now, tonumber(ARGV[6]),
      ARGV[7], ARGV[8], true)
  else
    local att = redis.call('HINCRBY', ck, 'fatt', 1)
    local token = seed .. ':' .. (#batches + 1)
    redis.call('HSET', ck, 'ftok', token, 'fstate', 'leased', 'fworker', worker)
    redis.call('ZADD', inflightKey, now + leaseMs, conv)
    -- Marked as when it was first claimed, or now: a batch a human has had never goes back to the bot unmarked.
    local ho = f[12] == 'h' or handedOver(prefix .. KEY_HANDOVER .. conv, now)
    if ho and f[12] ~= 'h' then
      redis.call('HSET', ck, 'fcm', 'h')
    end
    local sp = tonumber(f[11]) or select(4, parsePace(f[10]))
    batches[#batches + 1] = { conv, f[1], token, att, f[2], tonumber(f[3]), tonumber(f[4]), tonumber(f[5]), entries,
      -1, f[6], f[8] or '', tonumber(f[9]) or -1, (ho or f[12] == '1') and 0 or sp, ho and 1 or 0 }
  end
end

-- 2. Open batches whose deadline passed.
if #batches < max then
  local due = redis.call('ZRANGEBYSCORE', dueKey, '-inf', now, 'WITHSCORES', 'LIMIT', 0, max - #batches)
  for d = 1, #due, 2 do
    local conv, lateMs = due[d], now - tonumber(due[d + 1])
    local ck = prefix .. KEY_CONV .. conv
    local openList = prefix .. KEY_OPEN .. conv
    local flightList = prefix .. KEY_FLIGHT .. conv
    redis.call('ZREM', dueKey, conv)
    local c = readConv(ck)
    local len = redis.call('LLEN', openList)
    if c.fid then
      -- Already in flight: its ack schedules this conversation again (invariant 3).
    elseif len == 0 then
      if c.on > 0 then
        anomalies[#anomalies + 1] = conv
      end
      redis.call('HSET', ck, 'on', 0, 'ob', 0, 'fl', '')
    else
      local head = redis.call('LRANGE', openList, 0, c.pn - 1)
      local sizes, times = {}, {}
      for i, e in ipairs(head) do
        times[i], sizes[i] = entryMeta(e)
      end
      local n, bytes, cutByBytes = ruleCut(sizes, c.pn, c.pb)
      local taken = { unpack(head, 1, n) }
      local first, last = times[1], times[n]
      if n == len then
        redis.call('RENAME', openList, flightList)
      else
        redis.call('RPUSH', flightList, unpack(taken))
        redis.call('LTRIM', openList, n, -1)
      end
      local reason = ruleReason(n, bytes, cutByBytes, first, last, c)

      local seq = redis.call('HINCRBY', ck, 'seq', 1)
      local batchId = string.sub(redis.sha1hex(prefix .. conv .. '|' .. seq .. '|' .. now .. '|' .. seed), 1, 20)
        .. '-' .. seq
      local token = seed .. ':' .. (#batches + 1)
      -- fsp: claimed under supersede or not; its tombstone depends on it, not on the policy of a later append (a
      -- handover event's)
      redis.call('HSET', ck, 'fid', batchId, 'ftok', token, 'fatt', 1, 'frsn', reason, 'ffirst', first,
        'flast', last, 'fseq', seq, 'fstate', 'leased', 'fworker', worker, 'fsp', c.sp)
      if c.sx then
        redis.call('HSET', ck, 'fsx', c.sx, 'fsl', c.sl)
        redis.call('HDEL', ck, 'ferr', 'sx', 'sl')
      else
        redis.call('HDEL', ck, 'ferr')
      end
      redis.call('HSET', prefix .. KEY_BATCHES, batchId, conv)
      redis.call('ZADD', inflightKey, now + leaseMs, conv)
      recount(ck, openList)
      -- Claimed while a human has the chat: it is theirs (fcm 'h'), nothing takes it back.
      local ho = handedOver(prefix .. KEY_HANDOVER .. conv, now)
      if ho then
        redis.call('HSET', ck, 'fcm', 'h')
      end
      batches[#batches + 1] = { conv, batchId, token, 1, reason, first, last, seq, taken, lateMs, c.pj, c.sx or '',
        c.sl, ho and 0 or c.sp, ho and 1 or 0 }
    end
  end
end

local nextAt = -1
local d = redis.call('ZRANGE', dueKey, 0, 0, 'WITHSCORES')
if d[2] then
  nextAt = tonumber(d[2])
end
local i = redis.call('ZRANGE', inflightKey, 0, 0, 'WITHSCORES')
if i[2] and (nextAt < 0 or tonumber(i[2]) < nextAt) then
  nextAt = tonumber(i[2])
end
return { now, nextAt, batches, anomalies }

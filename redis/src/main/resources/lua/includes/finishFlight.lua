-- Ends the in-flight batch (acknowledged or dead-lettered) and schedules the next one, if messages arrived
-- meanwhile (DESIGN.md invariant 3). An idle conversation's state (only its batch sequence is left) gets a
-- TTL: garbage collection only, nothing pending lives in it (invariant 7). The batch and the ones it superseded
-- leave the batch index (bxKey: batch id -> conversation, for commits); under supersede each leaves a tombstone
-- (batchIndex.lua) so that a bot's late commit is still answered: 'c' when it counts as committed (acknowledged,
-- committed, its commit timeout passed, its queue's consumer took it), 'h' when its commit was refused because a
-- human had the chat (fcm 'h', commit-6.lua), 's:<id>' for the ones it superseded.
-- Needs: keys, readConv, schedule, batchIndex.
local function finishFlight(ck, fk, dueKey, inflightKey, bxKey, conv, now, idleTtl, channel, partition, committed)
  local f = redis.call('HMGET', ck, 'fid', 'fsx', 'px', 'fcm', 'fsp')
  forgetBatches(bxKey, f[1])
  forgetBatches(bxKey, f[2])
  -- Whether it was claimed under supersede (fsp), not the policy of the latest append (px: a handover event's)
  if f[1] and (tonumber(f[5]) or select(4, parsePace(f[3]))) == 1 then
    local prefix = string.match(dueKey, KEY_PREFIX_PATTERN)
    if committed then
      tombstone(prefix, f[1], f[4] == 'h' and 'h' or 'c')
    end
    if f[2] and f[2] ~= '' then
      for id in string.gmatch(f[2], '[^,]+') do
        tombstone(prefix, id, 's:' .. f[1])
      end
    end
  end
  redis.call('DEL', fk)
  redis.call('HDEL', ck, 'fid', 'ftok', 'fatt', 'frsn', 'ffirst', 'flast', 'fseq', 'fstate', 'fworker', 'ferr', 'fcm',
    'fsx', 'fsl', 'fwd', 'fwr', 'fsp')
  redis.call('ZREM', inflightKey, conv)
  if schedule(ck, dueKey, conv, now, channel, partition) < 0 then
    redis.call('PEXPIRE', ck, idleTtl)
  end
end

-- Ends the in-flight batch (acknowledged or dead-lettered) and schedules the next one, if messages arrived
-- meanwhile (DESIGN.md invariant 3). An idle conversation's state (only its batch sequence is left) gets a
-- TTL: garbage collection only, nothing pending lives in it (invariant 7). The batch and the ones it superseded
-- leave the batch index (bxKey: batch id -> conversation, for commits). Needs: readConv, schedule, batchIndex.
local function finishFlight(ck, fk, dueKey, inflightKey, bxKey, conv, now, idleTtl, channel, partition)
  local f = redis.call('HMGET', ck, 'fid', 'fsx')
  forgetBatches(bxKey, f[1])
  forgetBatches(bxKey, f[2])
  redis.call('DEL', fk)
  redis.call('HDEL', ck, 'fid', 'ftok', 'fatt', 'frsn', 'ffirst', 'flast', 'fseq', 'fstate', 'fworker', 'ferr', 'fcm',
    'fsx', 'fsl', 'fwd', 'fwr')
  redis.call('ZREM', inflightKey, conv)
  if schedule(ck, dueKey, conv, now, channel, partition) < 0 then
    redis.call('PEXPIRE', ck, idleTtl)
  end
end

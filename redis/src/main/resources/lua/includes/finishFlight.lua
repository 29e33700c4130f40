-- Ends the in-flight batch (acknowledged or dead-lettered) and schedules the next one, if messages arrived
-- meanwhile (DESIGN.md invariant 3). An idle conversation's state (only its batch sequence is left) gets a
-- TTL: garbage collection only, nothing pending lives in it (invariant 7). Needs: readConv, schedule.
local function finishFlight(ck, fk, dueKey, inflightKey, conv, now, idleTtl, channel, partition)
  redis.call('DEL', fk)
  redis.call('HDEL', ck, 'fid', 'ftok', 'fatt', 'frsn', 'ffirst', 'flast', 'fseq', 'fstate', 'fworker', 'ferr')
  redis.call('ZREM', inflightKey, conv)
  if schedule(ck, dueKey, conv, now, channel, partition) < 0 then
    redis.call('PEXPIRE', ck, idleTtl)
  end
end

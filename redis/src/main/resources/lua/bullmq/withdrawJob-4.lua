--[[
  Takes a job Rapidfire added (addJob-8.lua) back out of its BullMQ queue if no worker has taken it yet: the batch
  was superseded while it waited (one answer per thought, docs/release-rules.md). Atomic against a BullMQ worker's
  moveToActive (both run on the queue's Redis): either the job is still in the wait list and is removed with its
  hash, or a worker has it and nothing changes. Emits BullMQ's "removed" event, as Job.remove does.

  Input:
    KEYS[1]  wait list                 <prefix>:<queue>:wait
    KEYS[2]  the job hash              <prefix>:<queue>:<batchId>
    KEYS[3]  events stream             <prefix>:<queue>:events
    KEYS[4]  queue meta hash           <prefix>:<queue>:meta      (opts.maxLenEvents)

    ARGV[1]  job id (the batchId)

  Output:
     1  withdrawn: it was waiting; the job and its id in the wait list are gone
     0  a worker has it (active, completed or failed), or it is gone: nothing changed
]]
local rcall = redis.call
local jobId = ARGV[1]
if rcall('LREM', KEYS[1], 1, jobId) == 0 then
  return 0
end
rcall('DEL', KEYS[2], KEYS[2] .. ':logs')
local maxEvents = rcall('HGET', KEYS[4], 'opts.maxLenEvents') or 10000
rcall('XADD', KEYS[3], 'MAXLEN', '~', maxEvents, '*', 'event', 'removed', 'jobId', jobId, 'prev', 'waiting')
return 1

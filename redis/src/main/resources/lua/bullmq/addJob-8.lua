--[[
  Hands one released batch to a BullMQ queue as one standard job, writing what BullMQ's own Queue.add writes
  (bullmq 6.x data model, read from its documentation and scripts): the job hash, the id counter, the job id at
  the head of the wait list, the "added" and "waiting" events, and the marker that wakes blocked workers unless
  the queue is paused or at its global concurrency (a paused queue keeps the job in wait, unmarked, until
  resumed). The job id is the batchId, so a batch delivered again (a Rapidfire worker that died between this
  script and its acknowledgement) adds nothing: the job exists, or, if BullMQ has removed it since
  (removeOnComplete), Rapidfire's hand-off mark does. Every key shares <prefix>:<queue>, so on a Redis Cluster a
  hash tag there (prefix "{bull}") puts them on one slot, as BullMQ itself requires.

  Input:
    KEYS[1]  wait list                 <prefix>:<queue>:wait
    KEYS[2]  queue meta hash           <prefix>:<queue>:meta      (version, paused, concurrency, opts.maxLenEvents)
    KEYS[3]  id counter                <prefix>:<queue>:id
    KEYS[4]  events stream             <prefix>:<queue>:events
    KEYS[5]  marker zset               <prefix>:<queue>:marker
    KEYS[6]  active list               <prefix>:<queue>:active
    KEYS[7]  the job hash              <prefix>:<queue>:<batchId>
    KEYS[8]  Rapidfire's hand-off mark <prefix>:<queue>:rapidfire:<batchId>

    ARGV[1]  job id (the batchId)
    ARGV[2]  job name
    ARGV[3]  job data (JSON)
    ARGV[4]  job options (JSON: jobId, attempts, backoff)
    ARGV[5]  how long the hand-off mark is kept, ms
    ARGV[6]  the BullMQ major version(s) this script was tested with, comma separated, e.g. "6"

  Output: { code, detail }
     1  added (ScriptStatus.OK); detail "waiting", or "paused" when the queue is paused or at its concurrency
     0  handed off before (ScriptStatus.DUPLICATE); detail "job exists" or "handed off before"; nothing written
    -3  the queue's meta.version names a BullMQ major version not in ARGV[6] (ScriptStatus.UNSUPPORTED);
        detail: that version; nothing written
]]
--- @include "nowMs"

local rcall = redis.call
local jobId = ARGV[1]

-- One read of the queue's meta for everything this script needs from it.
local meta = rcall('HMGET', KEYS[2], 'version', 'paused', 'concurrency', 'opts.maxLenEvents')
local version = meta[1]
if version then
  local major = string.match(version, ':(%d+)%.')
  local tested = false
  for v in string.gmatch(ARGV[6], '[^,]+') do
    if v == major then
      tested = true
    end
  end
  if not tested then
    return { -3, version }
  end
end

if rcall('EXISTS', KEYS[7], KEYS[8]) > 0 then
  return { 0, rcall('EXISTS', KEYS[7]) == 1 and 'job exists' or 'handed off before' }
end

local now = nowMs()
rcall('INCR', KEYS[3])
local maxEvents = meta[4]
if not maxEvents then
  maxEvents = 10000
  rcall('HSET', KEYS[2], 'opts.maxLenEvents', maxEvents)
end

rcall('HSET', KEYS[7], 'name', ARGV[2], 'data', ARGV[3], 'opts', ARGV[4], 'timestamp', now, 'delay', 0,
  'priority', 0)
rcall('XADD', KEYS[4], '*', 'event', 'added', 'jobId', jobId, 'name', ARGV[2])

-- Paused, or as many active as the queue's global concurrency: the job waits, no worker is woken.
local held = meta[2] ~= false
if not held and meta[3] then
  held = rcall('LLEN', KEYS[6]) >= tonumber(meta[3])
end
rcall('LPUSH', KEYS[1], jobId)
if not held then
  rcall('ZADD', KEYS[5], 0, '0')
end
rcall('XADD', KEYS[4], 'MAXLEN', '~', maxEvents, '*', 'event', 'waiting', 'jobId', jobId)

rcall('SET', KEYS[8], now, 'PX', ARGV[5])
return { 1, held and 'paused' or 'waiting' }

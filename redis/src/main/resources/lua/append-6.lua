--[[
  Appends one message to its conversation's open batch, de-duplicating by message id, and (re)computes
  the batch's deadline. One atomic step: nothing can fall between this and a claim (invariant 4). When the
  conversation's batch is with the bot, not committed, and the policy supersedes (rules.lua ruleSupersedes), the
  batch in flight goes back to the head of the open batch: the next batch carries its messages and the new one.

  Input:
    KEYS[1]  conversation state (hash)       <ns>:{p<N>}:c:<conv>
    KEYS[2]  open batch (list)               <ns>:{p<N>}:open:<conv>
    KEYS[3]  seen message ids (zset, by time) <ns>:{p<N>}:seen:<conv>
    KEYS[4]  due index (zset, conv -> deadline ms)  <ns>:{p<N>}:due
    KEYS[5]  in-flight batch (list)          <ns>:{p<N>}:flight:<conv>
    KEYS[6]  in-flight index (zset)          <ns>:{p<N>}:inflight

    ARGV[1]  conversation key (member of the due index)
    ARGV[2]  message id; '' when the platform gave none (then no de-duplication)
    ARGV[3]  message JSON
    ARGV[4]  message content bytes
    ARGV[5]  quiet period ms       ARGV[6] max wait ms
    ARGV[7]  max messages          ARGV[8] max bytes
    ARGV[9]  de-duplication window ms (also the idle-state TTL)
    ARGV[10] wake channel          ARGV[11] partition number
    ARGV[12] release now with this reason ('media', 'keyword': ReleaseRules.askedByMessage), '' to wait for
             the rules
    ARGV[13] joiner of the policy (stored with the policy; the claim returns it with the batch)
    ARGV[14] typing, adaptive and supersede parameters of the policy, "grace,timeout,floor,supersede,commitFloor"
             (Policy.paceSpec)
    ARGV[15] '1': release a new conversation's first message at once (reason first_message), else '0'

  Output: { code, dueAtMs, openMessages }
    code  1  appended
    code  2  appended, and the batch in flight was superseded (its id published on the wake channel as
             "x:<partition>:<batchId>", so the worker delivering it stops)
    code  3  appended; the batch in flight awaits its commit in a queue (BullMQ): the workers were asked to withdraw
             it ("w:<partition>:<batchId>", once), and settle-6.lua supersedes it or finishes it
    code  0  duplicate: the id was seen within the window; nothing changed
    dueAtMs is -1 while a batch of the conversation is in flight (the next one is scheduled by its ack)

  Superseding writes sx (the superseded ids, oldest first: the chain the next batch carries as "supersedes") and
  sl (the last store time of their messages: the bot is told which messages it had seen).

  Each stored entry is "<store ms>|<content bytes>|<json>" so a claim can cut a batch at the limits
  without decoding JSON.
]]
--- @include "keys"
--- @include "nowMs"
--- @include "readConv"
--- @include "rules"
--- @include "schedule"
--- @include "entries"
--- @include "supersede"

local ck, openKey, seenKey, dueKey, flightKey, inflightKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local conv, id, json, bytes = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local window = tonumber(ARGV[9])
local now = nowMs()

if id ~= '' then
  -- ZADD NX answers 0 when the id is already there: one command to test and remember.
  if redis.call('ZADD', seenKey, 'NX', now, id) == 0 then
    return { 0, -1, tonumber(redis.call('HGET', ck, 'on')) or 0 }
  end
  redis.call('ZREMRANGEBYSCORE', seenKey, '-inf', now - window)
  redis.call('PEXPIRE', seenKey, window)
end

redis.call('RPUSH', openKey, now .. '|' .. bytes .. '|' .. json)
local c = readConvForAppend(ck, ARGV[14])
c.pq, c.pw, c.pn, c.pb = tonumber(ARGV[5]), tonumber(ARGV[6]), ruleKeepAlbumRoom(c, tonumber(ARGV[7])), tonumber(ARGV[8])
local asked = ruleAskedAtAppend(c, ARGV[12], ARGV[15])
local idleBefore = c.on == 0 and not c.fid
c.on = c.on + 1
c.ob = c.ob + bytes
if idleBefore or c.on == 1 then
  c.of = now
end
local sampled, bumped = paceOnMessage(c, now)
if sampled then
  redis.call('HSET', ck, 'gm', c.gm, 'gd', c.gd)
end
if bumped then
  redis.call('HSET', ck, 'yc', c.yc)
end
c.ol = now
local code = 1
if c.fid and c.sp == 1 then
  -- Only here (a message while a batch is out, under supersede) does the append read the flight: the hot path
  -- pays nothing for the rule.
  local f = redis.call('HMGET', ck, 'fcm', 'ffirst', 'fsx', 'fstate', 'fwd', 'fwr')
  local entries = redis.call('LRANGE', flightKey, 0, -1)
  if flightSupersedable(c, f[1], f[2], entries, now) then
    if f[4] == 'awaiting' and f[5] == '1' then
      -- In a queue its consumer may have taken already: ask the workers to withdraw it (settle-6.lua answers).
      if f[6] ~= '1' then
        redis.call('HSET', ck, 'fwr', '1')
        redis.call('PUBLISH', ARGV[10], 'w:' .. ARGV[11] .. ':' .. c.fid)
      end
      code = 3
    else
      takeBack(ck, openKey, flightKey, inflightKey, conv, c, f[2], f[3], entries, ARGV[10], ARGV[11])
      code = 2
    end
  end
end
redis.call('HSET', ck, 'on', c.on, 'ob', c.ob, 'of', c.of, 'ol', now, 'pq', ARGV[5], 'pw', ARGV[6], 'pn', c.pn,
  'pb', ARGV[8], 'pj', ARGV[13], 'px', ARGV[14])
if asked ~= '' and c.fl == '' then
  redis.call('HSET', ck, 'fl', asked)
  c.fl = asked
end
if idleBefore then
  -- Pending work never expires (invariant 7): only an idle conversation's state had a TTL.
  redis.call('PERSIST', ck)
end

local due = -1
if not c.fid then
  due = schedule(ck, dueKey, conv, now, ARGV[10], ARGV[11], c)
end
return { code, due, c.on }

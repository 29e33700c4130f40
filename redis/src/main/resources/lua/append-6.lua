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

--- @include "appendOne"

return appendOne(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV, nowMs())

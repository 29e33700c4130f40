-- The parts of the key names a script finds only at run time (the conversations a claim takes, a finished batch's
-- tombstone, the manual clock), appended to a partition's prefix "<ns>:{p<N>}:". RedisKeys is the source of these
-- names; KeyPatternsTest renders both for one conversation and fails when they differ. Keys a script knows
-- up-front come from Java in KEYS. Strings, not functions: an include runs on every call, and a closure per helper
-- cost the append script 5 % of its time (bench/script-cost).
local KEY_CONV, KEY_OPEN, KEY_FLIGHT, KEY_BATCHES, KEY_TOMBSTONE, KEY_CLOCK = 'c:', 'open:', 'flight:', 'bx', 'done:', 'clock'
local KEY_HANDOVER, KEY_SEEN = 'ho:', 'seen:'
-- A key's partition prefix: everything up to and including "}:".
local KEY_PREFIX_PATTERN = '^.-}:'

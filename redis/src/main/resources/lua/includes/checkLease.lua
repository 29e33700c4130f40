-- A follow-up on an in-flight batch is only valid for the lease that claimed it.
-- Returns 1 (ok), -1 (the batch is gone: acknowledged, dead-lettered or cleared),
-- -2 (taken over: the lease expired and the batch was claimed again under another token),
-- -4 (superseded: the person wrote again and its messages wait, or went out, in a batch that supersedes it).
-- Needs: batchIndex.
local function checkLease(ck, batchId, token)
  local f = redis.call('HMGET', ck, 'fid', 'ftok', 'sx', 'fsx')
  if f[1] ~= batchId then
    if inList(f[3], batchId) or inList(f[4], batchId) then
      return -4
    end
    return -1
  end
  if f[2] ~= token then
    return -2
  end
  return 1
end

import { LUA_COMMON } from './lua-common.lua';

/**
 * ARGV: prefix, shuffleSeed, maxBatch, maxSteps. One atomic admission round: release ended sessions, refill the
 * token bucket, then walk the line from the head admitting at most min(free slots, whole tokens, maxBatch).
 * Several instances may call it concurrently: Redis runs scripts one at a time, so each sees the other's result.
 * Returns {admitted, sessionsReleased, active, waiting}.
 */
export const ADMIT_LUA = `${LUA_COMMON}
local mode = redis.call('HGET', S, 'mode')
if not mode then return {-1, 0, 0, 0} end
local released = expireSessions()
if mode == 'closed' or not openIfDue(tonumber(ARGV[2])) then
  return {0, released, redis.call('ZCARD', P .. 'a'), num(redis.call('HGET', S, 'waiting'), 0)}
end
local cfg = redis.call('HMGET', S, 'maxActive', 'admitPerMinute', 'tokens', 'tokensAt', 'head', 'seq')
local maxActive = num(cfg[1], 0)
local perMinute = num(cfg[2], 0)
-- A burst of one second's worth: over any window W, admissions <= perMinute * W / 60 + capacity.
local capacity = math.max(1, math.ceil(perMinute / 60))
local tokens = num(cfg[3], capacity)
local tokensAt = num(cfg[4], nowMs)
tokens = math.min(capacity, tokens + math.max(0, nowMs - tokensAt) * perMinute / 60000)
local active = redis.call('ZCARD', P .. 'a')
local budget = math.min(maxActive - active, math.floor(tokens), tonumber(ARGV[3]))
local head = num(cfg[5], 0)
local seq = num(cfg[6], 0)
local stale = staleBefore()
local admitted = 0
local steps = 0
local maxSteps = tonumber(ARGV[4])
while admitted < budget and head < seq and steps < maxSteps do
  head = head + 1
  steps = steps + 1
  local bucket = math.floor(head / B)
  if head % B == 0 and bucket > 0 then
    redis.call('HDEL', P .. 'bt', bucket - 1)
    redis.call('DEL', P .. 'lb:' .. (bucket - 1))
  end
  local tkey = P .. 't:' .. bucket
  local rec = redis.call('HGET', tkey, head % B)
  if rec then
    local vid, seen = splitRec(rec)
    if seen < stale then
      removeWaiting(head, vid, 'expired')
    else
      redis.call('HDEL', tkey, head % B)
      redis.call('HINCRBY', S, 'waiting', -1)
      admitSeq(head, vid)
      admitted = admitted + 1
    end
  end
end
redis.call('HSET', S, 'head', head, 'tokens', tokens - admitted, 'tokensAt', nowMs)
return {admitted, released, active + admitted, num(redis.call('HGET', S, 'waiting'), 0)}
`;

/**
 * ARGV: prefix, maxBuckets. Walks the waiting line a few buckets per call, removing visitors whose heartbeat
 * stopped, so they stop counting in anyone's ahead even far from the head. Returns the number removed.
 */
export const SWEEP_LUA = `${LUA_COMMON}
local head = num(redis.call('HGET', S, 'head'), 0)
local seq = num(redis.call('HGET', S, 'seq'), 0)
local hb = math.floor(head / B)
local sb = math.floor(seq / B)
local cursor = math.max(num(redis.call('HGET', S, 'sweepCursor'), hb), hb)
local stale = staleBefore()
local removed = 0
-- The head's bucket first on every call: visitors there are next in line, so their timeouts matter most.
local function sweepBucket(bucket)
  local all = redis.call('HGETALL', P .. 't:' .. bucket)
  for i = 1, #all, 2 do
    local s = bucket * B + tonumber(all[i])
    local vid, seen = splitRec(all[i + 1])
    if s > head and seen < stale then
      removeWaiting(s, vid, 'expired')
      removed = removed + 1
    end
  end
end
sweepBucket(hb)
if cursor == hb then cursor = hb + 1 end
for _ = 1, tonumber(ARGV[2]) do
  if cursor > sb then
    cursor = hb
    break
  end
  sweepBucket(cursor)
  cursor = cursor + 1
end
redis.call('HSET', S, 'sweepCursor', cursor)
return removed
`;

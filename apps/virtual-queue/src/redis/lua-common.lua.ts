import { LAYOUT_GUARD } from './room-layout';

/**
 * Shared Lua prelude for every room script. KEYS[1] is the room's state hash (`<prefix>vq:{room}:s`); every other
 * key of the room is derived from ARGV[1], the `<prefix>vq:{room}:` prefix, so all of them share the `{room}`
 * hash tag and land on one Redis Cluster slot. Time comes from the server (TIME) so concurrent instances agree.
 *
 * Layout (see apps/virtual-queue/DESIGN.md): s = state hash, v:<n> = visitor -> seq, t:<n> = ticket bucket
 * (offset -> "visitor|lastSeenSec"), lb:<n> = leaver bitmap of a ticket bucket, f = Fenwick tree of leavers per
 * ticket bucket, a = active sessions zset,
 * ad = seq -> "visitor|sessionEndsMs", pq = pre-queue list, bt = ticket bucket -> first join ms,
 * jc:<nonce> = a spent join challenge, until it would have expired.
 * The state hash's `layout` field is the version of this layout (room-layout.ts): the guard runs first.
 */
export const LUA_COMMON = `${LAYOUT_GUARD}
local S = KEYS[1]
local P = ARGV[1]
local B = 128
local VB = 131071
local FEN = 1048576
local clock = redis.call('TIME')
local nowS = tonumber(clock[1])
local nowMs = nowS * 1000 + math.floor(tonumber(clock[2]) / 1000)

local function num(v, d) if v then return tonumber(v) end return d end

local function vbucket(id)
  local h = 0
  for i = 1, #id do h = (h * 257 + string.byte(id, i)) % 2147483647 end
  h = (h * 48271) % 2147483647
  h = (h * 48271) % 2147483647
  return h % VB
end
local function vkeyOf(id) return P .. 'v:' .. vbucket(id) end

local function splitRec(rec)
  local bar = string.find(rec, '|', 1, true)
  return string.sub(rec, 1, bar - 1), tonumber(string.sub(rec, bar + 1))
end

local function fenwickAdd(bucket, delta)
  local i = bucket + 1
  while i <= FEN do
    redis.call('HINCRBY', P .. 'f', i, delta)
    i = i + bit.band(i, -i)
  end
end

local function fenwickSum(bucket)
  local idx = {}
  local i = bucket + 1
  while i > 0 do
    idx[#idx + 1] = i
    i = i - bit.band(i, -i)
  end
  if #idx == 0 then return 0 end
  local vals = redis.call('HMGET', P .. 'f', unpack(idx))
  local sum = 0
  for _, v in ipairs(vals) do if v then sum = sum + tonumber(v) end end
  return sum
end

local function staleBefore() return nowS - num(redis.call('HGET', S, 'heartbeatTimeoutSeconds'), 60) end

-- Leavers among offsets first..last (inclusive) of one bucket: a 128-bit string per bucket, one bit per ticket.
local function leftIn(bucket, first, last)
  if first > last then return 0 end
  return redis.call('BITCOUNT', P .. 'lb:' .. bucket, first, last, 'BIT')
end

-- Tickets in (head, seq) minus those that left: O(log N) with no scan. Everything at or below head was admitted
-- or has left, so only leavers need subtracting. Visitors whose heartbeat stopped count until the sweeper drops them.
local function aheadOf(seq, head)
  local hb = math.floor(head / B)
  local sb = math.floor(seq / B)
  local left
  if hb == sb then
    left = leftIn(sb, head % B + 1, seq % B - 1)
  else
    left = leftIn(hb, head % B + 1, B - 1) + leftIn(sb, 0, seq % B - 1)
    if sb - hb > 1 then left = left + fenwickSum(sb - 1) - fenwickSum(hb) end
  end
  return seq - head - 1 - left
end

-- A waiting ticket leaves the line: its bucket's leaver count feeds everyone's position behind it.
local function removeWaiting(seq, vid, reason)
  local bucket = math.floor(seq / B)
  redis.call('HDEL', P .. 't:' .. bucket, seq % B)
  redis.call('HDEL', vkeyOf(vid), vid)
  redis.call('SETBIT', P .. 'lb:' .. bucket, seq % B, 1)
  fenwickAdd(bucket, 1)
  redis.call('HINCRBY', S, 'waiting', -1)
  redis.call('HINCRBY', S, reason, 1)
end

local function releaseSession(seq, reason)
  redis.call('ZREM', P .. 'a', seq)
  local rec = redis.call('HGET', P .. 'ad', seq)
  redis.call('HDEL', P .. 'ad', seq)
  if rec then
    local vid = splitRec(rec)
    redis.call('HDEL', vkeyOf(vid), vid)
  end
  redis.call('HINCRBY', S, reason, 1)
end

local function expireSessions()
  local due = redis.call('ZRANGEBYSCORE', P .. 'a', '-inf', nowMs, 'LIMIT', 0, 1000)
  for _, seq in ipairs(due) do releaseSession(seq, 'sessionsExpired') end
  return #due
end

local function admitSeq(seq, vid)
  local ends = nowMs + num(redis.call('HGET', S, 'sessionSeconds'), 600) * 1000
  redis.call('ZADD', P .. 'a', ends, seq)
  redis.call('HSET', P .. 'ad', seq, vid .. '|' .. ends)
  redis.call('HINCRBY', S, 'admitted', 1)
  return ends
end

local function addWaiting(seq, vid)
  local bucket = math.floor(seq / B)
  redis.call('HSET', P .. 't:' .. bucket, seq % B, vid .. '|' .. nowS)
  redis.call('HSETNX', P .. 'bt', bucket, nowMs)
end

-- Park-Miller: exact in doubles, and seeded by the caller so the pre-queue order is random yet replicable.
local function shuffle(list, seed)
  local state = seed % 2147483646 + 1
  for i = #list, 2, -1 do
    state = (state * 16807) % 2147483647
    local j = state % i + 1
    list[i], list[j] = list[j], list[i]
  end
end

-- At opening the pre-queue is shuffled into sequence numbers; later joiners queue behind in arrival order.
local function openIfDue(seed)
  local opensAt = num(redis.call('HGET', S, 'opensAt'), 0)
  if opensAt > nowMs or redis.call('HGET', S, 'opened') == '1' then return opensAt <= nowMs end
  local pre = redis.call('LRANGE', P .. 'pq', 0, -1)
  shuffle(pre, seed)
  local seq = num(redis.call('HGET', S, 'seq'), 0)
  for _, vid in ipairs(pre) do
    seq = seq + 1
    addWaiting(seq, vid)
    redis.call('HSET', vkeyOf(vid), vid, seq)
  end
  redis.call('HSET', S, 'seq', seq, 'opened', '1')
  redis.call('DEL', P .. 'pq')
  return true
end

local function settings()
  return redis.call('HMGET', S, 'admitPerMinute', 'maxActive', 'sessionSeconds', 'observedPerSecond')
end

-- {state, ahead, sessionEndsMs, admitPerMinute, maxActive, sessionSeconds, observedPerSecond}
local function statusOf(vid, seqStr, touch)
  local cfg = settings()
  if seqStr == 'p' then return {'prequeue', -1, 0, cfg[1], cfg[2], cfg[3], cfg[4]} end
  local seq = tonumber(seqStr)
  local head = num(redis.call('HGET', S, 'head'), 0)
  if seq <= head then
    local rec = redis.call('HGET', P .. 'ad', seq)
    if rec then
      local _, ends = splitRec(rec)
      if ends <= nowMs then
        releaseSession(seq, 'sessionsExpired')
        return {'expired', -1, 0, cfg[1], cfg[2], cfg[3], cfg[4]}
      end
      return {'admitted', 0, ends, cfg[1], cfg[2], cfg[3], cfg[4]}
    end
    return {'gone', -1, 0, cfg[1], cfg[2], cfg[3], cfg[4]}
  end
  local tkey = P .. 't:' .. math.floor(seq / B)
  local rec = redis.call('HGET', tkey, seq % B)
  if not rec then return {'gone', -1, 0, cfg[1], cfg[2], cfg[3], cfg[4]} end
  local _, seen = splitRec(rec)
  local stale = staleBefore()
  if seen < stale then
    removeWaiting(seq, vid, 'expired')
    return {'expired', -1, 0, cfg[1], cfg[2], cfg[3], cfg[4]}
  end
  if touch and seen < nowS then redis.call('HSET', tkey, seq % B, vid .. '|' .. nowS) end
  return {'waiting', aheadOf(seq, head), 0, cfg[1], cfg[2], cfg[3], cfg[4]}
end
`;

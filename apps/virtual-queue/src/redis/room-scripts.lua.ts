import { LUA_COMMON } from './lua-common.lua';
import { LAYOUT_GUARD, ROOM_LAYOUT_VERSION } from './room-layout';

/**
 * KEYS: the room's state hash, the rooms index; ARGV: room name, then field, value pairs. Writes the room's
 * settings in the current layout, unless it is stored in another (the guard refuses), and drops `retired`
 * fields, those earlier releases kept and this one no longer reads. The index is in a slot of its own, so this
 * script, like the MULTI it replaced, is not Redis Cluster safe: the one room script that is not.
 */
export function configureLua(retired: readonly string[]): string {
  const drop = retired.map((field) => `'${field}'`).join(', ');
  return `${LAYOUT_GUARD}
redis.call('HSET', KEYS[1], 'layout', '${ROOM_LAYOUT_VERSION}', unpack(ARGV, 2))
${retired.length ? `redis.call('HDEL', KEYS[1], ${drop})` : ''}
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`;
}

/**
 * ARGV: prefix, visitorId, shuffleSeed, clientIp, joinLimit (0 = none), limitWindowSeconds, gate ('' = none,
 * '?' = a proof is required and missing, else the nonce of a verified join challenge), gateTtlMs. Idempotent: a
 * visitor already in line gets their current status back, without spending a challenge. The per-IP counter lives
 * in the room's slot, so the limit costs no extra round trip and stays Cluster-safe; it counts joins per IP per
 * room. So does a spent challenge's mark: spending it in this script makes single use and the join one step.
 */
export const JOIN_LUA = `${LUA_COMMON}
local mode = redis.call('HGET', S, 'mode')
if not mode then return {'unknown_room'} end
local limit = tonumber(ARGV[5])
if limit > 0 then
  local window = tonumber(ARGV[6])
  local ipKey = P .. 'ip:' .. ARGV[4] .. ':' .. math.floor(nowS / window)
  local count = redis.call('INCR', ipKey)
  if count == 1 then redis.call('EXPIRE', ipKey, window) end
  if count > limit then return {'rate_limited', redis.call('TTL', ipKey)} end
end
local vid = ARGV[2]
local vkey = vkeyOf(vid)
local opened = openIfDue(tonumber(ARGV[3]))
local existing = redis.call('HGET', vkey, vid)
if existing then
  local st = statusOf(vid, existing, true)
  if st[1] ~= 'gone' and st[1] ~= 'expired' then return st end
  redis.call('HDEL', vkey, vid)
end
if mode == 'closed' then return {'closed'} end
local gate = ARGV[7] or ''
if gate == '?' then return {'challenge_required'} end
if gate ~= '' and not redis.call('SET', P .. 'jc:' .. gate, '1', 'NX', 'PX', tonumber(ARGV[8])) then
  return {'challenge_used'}
end
redis.call('HINCRBY', S, 'joined', 1)
if not opened then
  redis.call('RPUSH', P .. 'pq', vid)
  redis.call('HSET', vkey, vid, 'p')
  redis.call('HINCRBY', S, 'waiting', 1)
  return statusOf(vid, 'p', false)
end
local seq = redis.call('HINCRBY', S, 'seq', 1)
redis.call('HSET', vkey, vid, seq)
if mode == 'passthrough' then
  expireSessions()
  if num(redis.call('HGET', S, 'waiting'), 0) == 0 and redis.call('ZCARD', P .. 'a') < num(redis.call('HGET', S, 'maxActive'), 0) then
    -- Nobody waits, so no ticket lies between head and seq: jumping head keeps FIFO.
    redis.call('HSET', S, 'head', seq)
    admitSeq(seq, vid)
    return statusOf(vid, tostring(seq), false)
  end
end
-- A newcomer joins at the tail, so everyone waiting is ahead: O(1) instead of the bucket scans of a lookup.
-- Unswept stale visitors still count here; the first lookup drops them, so the number only ever falls.
local ahead = num(redis.call('HGET', S, 'waiting'), 0)
addWaiting(seq, vid)
redis.call('HINCRBY', S, 'waiting', 1)
local cfg = settings()
return {'waiting', ahead, 0, cfg[1], cfg[2], cfg[3], cfg[4]}
`;

/** ARGV: prefix, visitorId, touch (1 = counts as a heartbeat), shuffleSeed. */
export const STATUS_LUA = `${LUA_COMMON}
if not redis.call('HGET', S, 'mode') then return {'unknown_room'} end
openIfDue(tonumber(ARGV[4]))
local vid = ARGV[2]
local existing = redis.call('HGET', vkeyOf(vid), vid)
if not existing then
  local cfg = settings()
  return {'gone', -1, 0, cfg[1], cfg[2], cfg[3], cfg[4]}
end
return statusOf(vid, existing, ARGV[3] == '1')
`;

/** ARGV: prefix, visitorId. A waiting visitor gives up the place; an admitted one frees the slot. */
export const LEAVE_LUA = `${LUA_COMMON}
local vid = ARGV[2]
local vkey = vkeyOf(vid)
local existing = redis.call('HGET', vkey, vid)
if not existing then return 'gone' end
if existing == 'p' then
  redis.call('LREM', P .. 'pq', 1, vid)
  redis.call('HDEL', vkey, vid)
  redis.call('HINCRBY', S, 'waiting', -1)
  redis.call('HINCRBY', S, 'left', 1)
  return 'left'
end
local seq = tonumber(existing)
if seq > num(redis.call('HGET', S, 'head'), 0) then
  if redis.call('HEXISTS', P .. 't:' .. math.floor(seq / B), seq % B) == 1 then
    removeWaiting(seq, vid, 'left')
    return 'left'
  end
elseif redis.call('ZSCORE', P .. 'a', seq) then
  releaseSession(seq, 'sessionsEnded')
  return 'left'
end
redis.call('HDEL', vkey, vid)
return 'gone'
`;

/** ARGV: prefix, visitorId. The purchase is done: the slot frees at once. */
export const COMPLETE_LUA = `${LUA_COMMON}
local vid = ARGV[2]
local existing = redis.call('HGET', vkeyOf(vid), vid)
if not existing or existing == 'p' then return 'not_active' end
if not redis.call('ZSCORE', P .. 'a', existing) then return 'not_active' end
releaseSession(existing, 'completed')
return 'completed'
`;

/**
 * Stores targets' state only where each target's fence (a write counter kept in a key of its own) still has the
 * value the writer loaded, and advances it, all or nothing, in one script. An instance that lost a partition
 * loaded its targets before their new owner wrote them: its write finds a newer fence and changes nothing.
 * A state key lost with its fence (Redis restarted empty) reads as fence 0, as a new target's does.
 * KEYS: state key, fence key, per target; ARGV: expected fence, encoded state, per target.
 * Returns 0 when stored, or the 1-based position of the first target whose fence moved, and the fence found.
 */
export const FENCED_WRITE_LUA = `
local n = #KEYS / 2
for i = 1, n do
  local fence = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  if fence ~= tonumber(ARGV[2 * i - 1]) then return {i, fence} end
end
for i = 1, n do
  redis.call('SET', KEYS[2 * i - 1], ARGV[2 * i])
  redis.call('SET', KEYS[2 * i], tonumber(ARGV[2 * i - 1]) + 1)
end
return {0, 0}
`;

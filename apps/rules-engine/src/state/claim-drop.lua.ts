/**
 * Deletes claim fields only if each still holds the value read: a field its owner rewrote since (a commit that
 * refreshed it) is kept, so a prune never races a live owner into losing its hold.
 * KEYS[i] a claims hash; ARGV[2i-1] the field (its owner), ARGV[2i] the value read. Returns how many were deleted.
 */
export const DROP_CLAIMS_LUA = `
local dropped = 0
for i, key in ipairs(KEYS) do
  local owner = ARGV[2 * i - 1]
  if redis.call('HGET', key, owner) == ARGV[2 * i] then
    dropped = dropped + redis.call('HDEL', key, owner)
  end
end
return dropped
`;

/**
 * Stores a target's observation unless the one stored is newer (by event time) for the same setting, in one
 * script, so two instances folding observations of one target can never let an older one win.
 * A stored value this script cannot read is replaced: it is refused on load as well.
 * KEYS[1] the target's observed key; ARGV[1] the encoded observation, ARGV[2] its setting, ARGV[3] its time.
 * Returns 1 when stored, 0 when a newer observation was kept.
 */
export const STORE_OBSERVED_LUA = `
local known = redis.call('GET', KEYS[1])
if known then
  local ok, stored = pcall(cjson.decode, known)
  if ok and type(stored) == 'table' and stored.setting == ARGV[2]
    and type(stored.observedAt) == 'number' and stored.observedAt > tonumber(ARGV[3]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

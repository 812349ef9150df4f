-- Releases a whole cart now (cart:clear, and after a checkout has consumed what it needed).
-- KEYS[1] cart:{userId} (declared so the key prefix is applied), ARGV: keyPrefix, userId
return releaseCart(ARGV[1], ARGV[2])

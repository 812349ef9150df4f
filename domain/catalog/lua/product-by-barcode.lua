-- The cached product for a barcode in one round trip: the barcode entry names the product id, whose
-- JSON lives under another key built here (so the deployment prefix comes in as an argument).
-- KEYS[1] catalog:barcode:{gtin14}, ARGV[1] the full key prefix of product entries (…catalog:product:)
local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('GET', ARGV[1] .. id)

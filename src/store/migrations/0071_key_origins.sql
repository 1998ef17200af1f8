-- keel migration: keys bound to the origins they may be sent to; assistant providers are the tenant's, set by admins
-- The key vault: the origins (scheme://host[:port]) each key may be sent to, joined by spaces;
-- '' for none (a key set before: sent nowhere, except a market-data vendor's key to its vendor;
-- docs/security.md, "Outbound requests and key binding").
ALTER TABLE vault_keys ADD COLUMN origins TEXT NOT NULL DEFAULT '';
-- Assistant providers are the tenant's (username ''), registered by administrators. Kept: the rows
-- an admin of the tenant or the keel command (cli:USER) registered; the others are dropped. Of
-- several rows of one name, the one changed last is kept; of several defaults, the first by name.
DELETE FROM assistant_providers
 WHERE username NOT LIKE 'cli:%'
   AND NOT EXISTS (SELECT 1 FROM users u JOIN tenants t ON t.id = u.tenant_id
                    WHERE u.username = assistant_providers.username AND t.name = assistant_providers.tenant
                      AND u.role = 'admin');
DELETE FROM assistant_providers
 WHERE EXISTS (SELECT 1 FROM assistant_providers o
                WHERE o.tenant = assistant_providers.tenant AND o.name = assistant_providers.name
                  AND (o.updated_at > assistant_providers.updated_at
                       OR (o.updated_at = assistant_providers.updated_at AND o.username > assistant_providers.username)));
UPDATE assistant_providers SET username = '';
UPDATE assistant_providers SET is_default = 0
 WHERE is_default = 1
   AND EXISTS (SELECT 1 FROM assistant_providers o
                WHERE o.tenant = assistant_providers.tenant AND o.is_default = 1 AND o.name < assistant_providers.name);

-- keel migration: storage: the tenants keeping assistant conversations, for their retention
-- keel serve prunes each tenant's conversations under that tenant (row-level security), after
-- learning which tenants have any from this lookup, run with the owner's rights: tenant names,
-- nothing else (store/storage_repository.cpp).
CREATE FUNCTION keel_assistant_tenants() RETURNS TABLE (conversation_tenant text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT DISTINCT tenant FROM assistant_conversations ORDER BY 1 $$;

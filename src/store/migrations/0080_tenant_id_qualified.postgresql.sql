-- keel migration: keel_tenant_id() names its table with its schema, so pg_dump can read the tenant tables
-- pg_dump runs with an empty search_path and, under row-level security (--enable-row-security, since
-- every tenant table forces it), inlines keel_tenant_id() into the policies it evaluates: an
-- unqualified `tenants` is not found there. The body stays one plain SQL statement so the planner
-- still inlines it into every policy (a function-level SET search_path would stop that).
CREATE OR REPLACE FUNCTION keel_tenant_id() RETURNS bigint LANGUAGE sql STABLE
  AS $$ SELECT id FROM public.tenants WHERE name = public.keel_tenant() $$;

-- The hub carer's dashboard as PostGraphile serves it: a small schema of views and SQL functions
-- over Hubnet's tables, written for the benchmark comparison only. PostGraphile introspects
-- `bench_pg` (and nothing else); `bench_pg_private` holds what the views share.
--
-- Who is asking comes from the request's verified JWT, set per transaction by PostGraphile as
-- `jwt.claims.user_id`. Every view filters on it, so the login role (granted SELECT on the views
-- only, never on Hubnet's tables) sees exactly what the hub carer sees in Hubnet; the views are
-- owned by the role that applies this file and read the tables with its privileges.
--
-- The views are plain, not security_barrier: PostgreSQL cannot push a join's key into a
-- security-barrier view, so each household looked up by a list's row read every household the
-- viewer may see, and the dashboard took 10 ms of execution instead of about 1. A barrier guards
-- against a caller's own leaky function seeing rows before the view's filter; the login role can
-- create no function (PostgreSQL 15+ grants no CREATE on public), and PostGraphile sends only
-- the SQL it compiles from its schema, so nothing a caller writes runs beside the filters.
--
-- Applied by the bench on every run (bench/postgraphile/setup.ts): dropped and recreated whole.

drop schema if exists bench_pg cascade;
drop schema if exists bench_pg_private cascade;
create schema bench_pg_private;
create schema bench_pg;

-- Hubnet's todayLondon(): the day in the service's time zone, whatever the server's.
create function bench_pg_private.today() returns date language sql stable
  as $$ select (now() at time zone 'Europe/London')::date $$;

-- The viewer, when an active login of a carer of a household that is a constellation's hub today
-- (the only viewer this comparison serves; anyone else sees nothing at all).
create view bench_pg_private.viewer as
select u.id as user_id, u.organisation_id, c.household_id, m.constellation_id as hub_constellation_id
  from app_user u
  join carer c on c.user_id = u.id
  join constellation_membership m on m.household_id = c.household_id and m.role = 'HUB' and m.period @> bench_pg_private.today()
 where u.id = nullif(current_setting('jwt.claims.user_id', true), '')::uuid and u.active;

-- Every view below reads the viewer's ids through uncorrelated scalar subqueries of this view:
-- PostgreSQL runs each once per statement (an InitPlan) and then finds rows by index, however the
-- outer query joins to the view. Filtering by a join to the view instead, or by an OR of EXISTS,
-- made the planner read every household of the organisation for each one looked up (about 80 ms
-- a dashboard on the national data set).

-- Children the hub carer may see (Hubnet's childVisible for a hub carer): placed today with their
-- own household or with a household that belongs to their constellation today.
create view bench_pg_private.visible_child as
select c.id, c.first_name, c.date_of_birth, c.organisation_id
  from child c
 where c.organisation_id = (select organisation_id from bench_pg_private.viewer)
   and exists (select 1 from placement vp
                where vp.child_id = c.id and vp.period @> bench_pg_private.today()
                  and (vp.household_id = (select household_id from bench_pg_private.viewer)
                       or vp.household_id in (select vm.household_id from constellation_membership vm
                                               where vm.constellation_id = (select hub_constellation_id from bench_pg_private.viewer)
                                                 and vm.period @> bench_pg_private.today())));

create view bench_pg.hub_constellation as
select k.id, k.name, k.sleepover_beds::int as sleepover_beds, v.household_id as hub_household_id
  from bench_pg_private.viewer v
  join constellation k on k.id = v.hub_constellation_id and k.organisation_id = v.organisation_id;

-- Households the hub carer may read: their own, those of their constellation today (Hubnet's
-- householdVisible), and those whose children have sleepovers at their hub (a sleepover's
-- household, which Hubnet shows the hosting hub carer).
create view bench_pg.household as
select h.id, h.name, h.postcode_district
  from household h
 where h.organisation_id = (select organisation_id from bench_pg_private.viewer)
   and (h.id = (select household_id from bench_pg_private.viewer)
        or h.id in (select m.household_id from constellation_membership m
                     where m.constellation_id = (select hub_constellation_id from bench_pg_private.viewer) and m.period @> bench_pg_private.today())
        or h.id in (select s.household_id from sleepover s where s.constellation_id = (select hub_constellation_id from bench_pg_private.viewer)));

create view bench_pg.carer as
select c.id, c.household_id, c.name
  from bench_pg.household h
  join carer c on c.household_id = h.id;

-- Satellite memberships of the viewer's constellation today.
create view bench_pg.membership as
select m.id, m.constellation_id, m.household_id, m.joined_on, h.name as household_name
  from constellation_membership m
  join household h on h.id = m.household_id
 where m.constellation_id = (select hub_constellation_id from bench_pg_private.viewer) and m.role = 'SATELLITE' and m.period @> bench_pg_private.today()
   and h.organisation_id = (select organisation_id from bench_pg_private.viewer);

-- Placements whose details the hub carer may read: Hubnet shows a household's current placements
-- to its own carers and to staff, so a hub carer sees their own household's only.
create view bench_pg.placement as
select p.id, p.household_id, p.child_id, p.start_date
  from placement p
 where p.household_id = (select household_id from bench_pg_private.viewer) and p.organisation_id = (select organisation_id from bench_pg_private.viewer)
   and p.period @> bench_pg_private.today();

create view bench_pg.child as
select c.id, c.first_name, extract(year from age(bench_pg_private.today(), c.date_of_birth))::int as age
  from bench_pg_private.visible_child c;

-- Sleepovers at the viewer's hub (Hubnet's sleepoverVisible for a hub carer), COMPLETED read off
-- a confirmed one whose last night is past, and how many children each is for (all of them),
-- counted in a lateral join rather than a subquery in the select list: a whole-row reference to a
-- row holding a subquery stops PostgreSQL inlining the functions that take it (sleepover_children).
create view bench_pg.sleepover as
select s.id, s.constellation_id, s.household_id, s.kind,
       case when s.status = 'CONFIRMED' and s.end_date <= bench_pg_private.today() then 'COMPLETED' else s.status end as status,
       s.start_date, s.end_date, s.created_at, n.child_count
  from sleepover s
  cross join lateral (select count(*)::int as child_count from sleepover_child sc join child c on c.id = sc.child_id and c.organisation_id = s.organisation_id
                       where sc.sleepover_id = s.id) n
 where s.organisation_id = (select organisation_id from bench_pg_private.viewer)
   and (s.constellation_id = (select hub_constellation_id from bench_pg_private.viewer) or s.household_id = (select household_id from bench_pg_private.viewer));

-- The children of the viewer's hub's sleepovers as Hubnet shows them to the hosting hub carer:
-- every child while the sleepover is open (requested or confirmed, last night not past), and
-- afterwards only the children the hub carer may see anyway.
create view bench_pg.sleepover_child as
select sc.sleepover_id, c.id, c.first_name, extract(year from age(bench_pg_private.today(), c.date_of_birth))::int as age
  from sleepover_child sc
  join sleepover s on s.id = sc.sleepover_id
  join child c on c.id = sc.child_id
 where s.constellation_id = (select hub_constellation_id from bench_pg_private.viewer)
   and s.organisation_id = (select organisation_id from bench_pg_private.viewer)
   and c.organisation_id = (select organisation_id from bench_pg_private.viewer)
   and ((s.status in ('REQUESTED', 'CONFIRMED') and s.end_date > bench_pg_private.today())
        or exists (select 1 from bench_pg_private.visible_child vc where vc.id = c.id));

create view bench_pg.peer_support_session as
select s.id, s.constellation_id, s.title, s.kind, s.status, s.starts_at, s.capacity, s.going_count, s.waitlist_count,
       case when s.capacity is null then null else greatest(0, s.capacity - s.going_count) end as places_left
  from peer_support_session s
 where s.constellation_id = (select hub_constellation_id from bench_pg_private.viewer) and s.organisation_id = (select organisation_id from bench_pg_private.viewer);

create view bench_pg.bed_claim as
select c.constellation_id, c.nights, c.is_block
  from bed_claim c
 where c.constellation_id = (select hub_constellation_id from bench_pg_private.viewer) and c.organisation_id = (select organisation_id from bench_pg_private.viewer);

create type bench_pg.bed_night as (date date, beds_total int, beds_booked int, beds_free int, blocked boolean);

-- Root field `hubOf`: the constellation whose hub the viewer is a carer of today.
create function bench_pg.hub_of() returns bench_pg.hub_constellation language sql stable
  as $$ select k.* from bench_pg.hub_constellation k limit 1 $$;

-- Fields of HubConstellation (PostGraphile's computed columns: functions named <type>_<field>).

-- Night by night from `from` up to (not including) `to`, at most 366 nights as in Hubnet; the
-- window's claims are read once and grouped by night, as Hubnet's availabilityOf does.
create function bench_pg.hub_constellation_availability(k bench_pg.hub_constellation, "from" date, "to" date) returns setof bench_pg.bed_night
  language sql stable
  as $$
    select n.night, k.sleepover_beds, n.booked, case when n.blocked then 0 else greatest(k.sleepover_beds - n.booked, 0) end, n.blocked
      from (select d.night::date as night,
                   (count(c.constellation_id) filter (where not c.is_block))::int as booked,
                   coalesce(bool_or(c.is_block), false) as blocked
              from generate_series("from", least("to", "from" + 366) - 1, interval '1 day') as d(night)
              left join bench_pg.bed_claim c
                on c.constellation_id = k.id and c.nights @> d.night::date and c.nights && daterange("from", least("to", "from" + 366))
             group by d.night) n
     order by n.night
  $$;

create function bench_pg.hub_constellation_sessions(k bench_pg.hub_constellation, "from" timestamptz) returns setof bench_pg.peer_support_session
  language sql stable
  as $$
    select s.* from bench_pg.peer_support_session s
     where s.constellation_id = k.id and s.status = 'SCHEDULED' and ("from" is null or s.starts_at >= "from")
     order by s.starts_at, s.id
  $$;

create function bench_pg.household_carers(h bench_pg.household) returns setof bench_pg.carer language sql stable
  as $$ select c.* from bench_pg.carer c where c.household_id = h.id order by c.name, c.id $$;

create function bench_pg.sleepover_children(s bench_pg.sleepover) returns setof bench_pg.sleepover_child language sql stable
  as $$ select c.* from bench_pg.sleepover_child c where c.sleepover_id = s.id order by c.first_name, c.id $$;

-- The rows that link to one other row (the constellation to its hub, members to their household,
-- sleepovers to theirs, placements to their child) are relations declared on the views (primary and foreign keys, which
-- views cannot have otherwise): PostGraphile 5.1 joins a relation's row into the list's own SQL,
-- but fetches the row a function returns for each row of a list (or a list a function returns)
-- with a statement of its own, which would make the dashboard three statements. With these, the
-- whole dashboard is one. Everything is reached from hubOf, so the views' own root fields are
-- left out of the schema.
comment on view bench_pg.hub_constellation is E'@primaryKey id\n@foreignKey (hub_household_id) references bench_pg.household (id)|@fieldName hub\n@behavior -query:resource:single -query:resource:list -query:resource:connection';
comment on view bench_pg.household is E'@primaryKey id\n@behavior -query:resource:single -query:resource:list -query:resource:connection';
comment on view bench_pg.carer is '@behavior -query:resource:single -query:resource:list -query:resource:connection';
comment on view bench_pg.membership is E'@primaryKey id\n@foreignKey (constellation_id) references bench_pg.hub_constellation (id)|@fieldName constellation|@foreignFieldName members\n@foreignKey (household_id) references bench_pg.household (id)|@fieldName household\n@behavior -query:resource:single -query:resource:list -query:resource:connection';
comment on view bench_pg.placement is E'@primaryKey id\n@foreignKey (household_id) references bench_pg.household (id)|@fieldName household|@foreignFieldName currentPlacements\n@foreignKey (child_id) references bench_pg.child (id)|@fieldName child\n@behavior -query:resource:single -query:resource:list -query:resource:connection';
comment on view bench_pg.child is E'@primaryKey id\n@behavior -query:resource:single -query:resource:list -query:resource:connection';
comment on view bench_pg.sleepover is E'@primaryKey id\n@foreignKey (constellation_id) references bench_pg.hub_constellation (id)|@fieldName constellation|@foreignFieldName sleepovers\n@foreignKey (household_id) references bench_pg.household (id)|@fieldName household\n@behavior -query:resource:single -query:resource:list -query:resource:connection';
comment on view bench_pg.sleepover_child is '@behavior -query:resource:single -query:resource:list -query:resource:connection';
comment on view bench_pg.peer_support_session is '@behavior -query:resource:single -query:resource:list -query:resource:connection';
comment on view bench_pg.bed_claim is '@behavior -query:resource:single -query:resource:list -query:resource:connection';

-- The role PostGraphile logs in as: the views and functions of bench_pg, nothing of Hubnet's own.
-- Functions a view calls are called with the caller's rights (tables are read with the owner's),
-- so today() is the one thing of bench_pg_private it is granted.
revoke all on schema bench_pg_private from public;
revoke all on all functions in schema bench_pg_private from public;
grant usage on schema bench_pg, bench_pg_private to hubnet_postgraphile;
grant select on all tables in schema bench_pg to hubnet_postgraphile;
grant execute on function bench_pg_private.today() to hubnet_postgraphile;

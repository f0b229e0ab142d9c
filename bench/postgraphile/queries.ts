/**
 * The hub dashboard (bench/queries.ts HUB_DASHBOARD) as PostGraphile's schema names it: the same
 * fields, asked for in the same shape wherever the two schemas allow. PostGraphile calls the
 * primary-key-like `id` columns `rowId` (it keeps `id` for global Node IDs, which these views do
 * not have), lists connections as `nodes`, and takes the filters as plain arguments.
 */
export const PG_HUB_DASHBOARD = `query HubDashboard($from: Date!, $to: Date!, $now: Datetime!) {
  hubOf {
    rowId
    name
    sleepoverBeds
    hub { rowId name carers { nodes { rowId name } } }
    members(first: 20) {
      nodes {
        joinedOn
        household {
          rowId
          name
          postcodeDistrict
          carers { nodes { rowId name } }
          currentPlacements { nodes { rowId startDate child { rowId firstName age } } }
        }
      }
    }
    availability(from: $from, to: $to) { nodes { date bedsTotal bedsBooked bedsFree blocked } }
    sessions(first: 5, from: $now) {
      nodes { rowId title kind startsAt capacity goingCount waitlistCount placesLeft }
    }
    sleepovers(first: 20, statuses: ["REQUESTED"]) {
      nodes { rowId kind status startDate endDate childCount household { rowId name } children { nodes { rowId firstName } } }
    }
  }
}`;

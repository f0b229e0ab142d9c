/**
 * The hub dashboard (bench/queries.ts HUB_DASHBOARD) as PostGraphile's schema names it: the same
 * fields, asked for in the same shape wherever the two schemas allow. PostGraphile calls the `id`
 * columns `rowId` (it keeps `id` for its global Node IDs), lists connections as `nodes`, takes the
 * session filter as an argument and the sleepovers' status as an equality condition, and orders
 * relations only when asked, so the order Hubnet gives each list is asked for here.
 */
export const PG_HUB_DASHBOARD = `query HubDashboard($from: Date!, $to: Date!, $now: Datetime!) {
  hubOf {
    rowId
    name
    sleepoverBeds
    hub { rowId name carers { nodes { rowId name } } }
    members(first: 20, orderBy: [HOUSEHOLD_NAME_ASC, ROW_ID_ASC]) {
      nodes {
        joinedOn
        household {
          rowId
          name
          postcodeDistrict
          carers { nodes { rowId name } }
          currentPlacements(orderBy: [START_DATE_ASC, ROW_ID_ASC]) { nodes { rowId startDate child { rowId firstName age } } }
        }
      }
    }
    availability(from: $from, to: $to) { nodes { date bedsTotal bedsBooked bedsFree blocked } }
    sessions(first: 5, from: $now) {
      nodes { rowId title kind startsAt capacity goingCount waitlistCount placesLeft }
    }
    sleepovers(first: 20, condition: { status: "REQUESTED" }, orderBy: [START_DATE_ASC, CREATED_AT_ASC, ROW_ID_ASC]) {
      nodes { rowId kind status startDate endDate childCount household { rowId name } children { nodes { rowId firstName } } }
    }
  }
}`;

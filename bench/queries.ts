/** The screens the benchmarks drive, as the apps would send them. */

/**
 * What the hub carer's dashboard shows of their constellation (`me { hubOf { … } }`), with
 * variables $from, $to (the nights) and $now (the sessions): the hub dashboard is this alone, the
 * dashboard with the hub carer's day adds today's bookings and the follow-ups due.
 */
export const HUB_OF_SELECTION = `      id
      name
      sleepoverBeds
      hub { id name carers { id name } }
      members(first: 20) {
        edges {
          node {
            joinedOn
            household {
              id
              name
              postcodeDistrict
              carers { id name }
              currentPlacements { id startDate child { id firstName age } }
            }
          }
        }
      }
      availability(from: $from, to: $to) { date bedsTotal bedsBooked bedsFree blocked }
      sessions(first: 5, filter: { from: $now }) {
        edges { node { id title kind startsAt capacity goingCount waitlistCount placesLeft } }
      }
      sleepovers(first: 20, filter: { status: [REQUESTED] }) {
        edges { node { id kind status startDate endDate childCount household { id name } children { id firstName } } }
      }
`;

export const HUB_DASHBOARD = `query HubDashboard($from: Date!, $to: Date!, $now: DateTime!) {
  me {
    hubOf {
${HUB_OF_SELECTION}    }
  }
}`;

/** The hub dashboard with the hub carer's day beside it: the hub's bookings between $dayStart and $dayEnd, and the follow-ups due by $today. */
export const HUB_DASHBOARD_WITH_DAY = `query HubDashboardWithDay($from: Date!, $to: Date!, $now: DateTime!, $dayStart: DateTime!, $dayEnd: DateTime!, $today: Date!) {
  me {
    hubOf {
${HUB_OF_SELECTION}      hubBookings(first: 20, filter: { from: $dayStart, to: $dayEnd }) {
        totalCount
        edges { node { id purpose status startsAt endsAt childCount children { id firstName } supervisor requestedBy { name } notes } }
      }
      supportLog(first: 20, filter: { followUpDueOnOrBefore: $today }) {
        totalCount
        edges { node { id at followUpOn summary outOfHours safeguarding household { id name } child { id firstName } recordedBy { name } } }
      }
    }
  }
}`;

export const CONSTELLATION_STABILITY_REPORT = `query ConstellationStability($k: ID!, $from: Date!, $to: Date!) {
  stabilityReport(constellationId: $k, from: $from, to: $to) {
    childrenLookedAfter childrenWithThreeOrMorePlacements threeOrMorePlacementsRate
    longTermEligible longTermStable longTermStabilityRate placementEndings unplannedEndings
    sleepoverNightsUsed householdsAtStart householdsDeregistered carerRetentionRate
  }
}`;

export const CARER_HOME = `query CarerHome($now: DateTime!) {
  me {
    name
    household {
      id
      name
      currentPlacements { id startDate child { id firstName age sleepoverNotes } }
      constellation {
        id
        name
        sessions(first: 5, filter: { from: $now }) {
          edges { node { id title startsAt placesLeft viewerRsvps { status waitlistPosition } } }
        }
      }
    }
  }
  sleepovers(first: 10) { edges { node { id status startDate endDate children { firstName } } } }
}`;

export const STABILITY_REPORT = `query OrgStability($from: Date!, $to: Date!) {
  stabilityReport(from: $from, to: $to) {
    childrenLookedAfter childrenWithThreeOrMorePlacements threeOrMorePlacementsRate
    longTermEligible longTermStable longTermStabilityRate placementEndings unplannedEndings
    sleepoverNightsUsed householdsAtStart householdsDeregistered carerRetentionRate
  }
}`;

export const MATCHES = `query Matches($childId: ID!, $startDate: Date!) {
  placementMatches(childId: $childId, startDate: $startDate, kind: LONG_TERM, first: 10) {
    score reasons household { id name postcodeDistrict }
  }
}`;

export const REQUEST_SLEEPOVER = `mutation Request($i: RequestSleepoverInput!) {
  requestSleepover(input: $i) { sleepover { id status } userErrors { code } }
}`;

export const RSVP = `mutation Rsvp($i: RsvpInput!) {
  rsvpPeerSupportSession(input: $i) { rsvp { status } userErrors { code } }
}`;

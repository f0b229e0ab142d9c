/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type LoginInput = {
  email: string;
  password: string;
};

export type PeerSupportSessionEventKind =
  | 'CANCELLED'
  | 'RSVP_CHANGED'
  | 'SCHEDULED'
  | 'UPDATED';

export type PeerSupportSessionKind =
  | 'CHILDREN_ACTIVITY'
  /** The constellation's regular (usually monthly) gathering. */
  | 'CONSTELLATION_MEETING'
  | 'SOCIAL_ACTIVITY'
  | 'SUPPORT_GROUP'
  | 'TRAINING';

/** What a household is approved for, and what a child needs a placement for. */
export type PlacementKind =
  | 'EMERGENCY'
  | 'LONG_TERM'
  | 'PARENT_AND_CHILD'
  | 'REMAND'
  /**
   * A temporary stay away from the child's placement (short breaks, a carer's holiday): never a
   * placement of its own; a return to the same carers afterwards continues the same placement.
   */
  | 'RESPITE'
  | 'SHORT_TERM';

export type RequestSleepoverInput = {
  /**
   * Managers only, in an emergency: the hub may take a child outside its terms of approval (age,
   * number) for up to 6 working days (Care Planning, Placement and Case Review (England) Regulations
   * 2010, regulation 23), with why. The fostering limit still holds.
   */
  approvalOverrideReason?: string | null | undefined;
  /** 1 to sleepoverBeds children placed with the same household; all stay or none. */
  childIds: Array<string | number>;
  constellationId: string | number;
  /** Staff only: book a child of another constellation (cover while its hub is away), with why. */
  coverReason?: string | null | undefined;
  endDate: string;
  kind?: SleepoverKind | null | undefined;
  notes?: string | null | undefined;
  /**
   * Hub carer, liaison worker or staff: write up a sleepover whose first night is before tonight (as
   * the 08:00 rule defines tonight), up to 7 nights back; it is CONFIRMED at once under the same rules,
   * and flagged recordedAfterwards.
   */
  recordedAfterwards?: boolean | null | undefined;
  startDate: string;
};

/**
 * What a login may do. Hub and liaison rights are not roles: a CARER of a constellation's hub
 * household is its hub carer, and the staff user named as a constellation's liaison worker is its
 * liaison worker, whatever their role.
 */
export type Role =
  /** Runs the organisation's account: users, settings, everything below. */
  | 'ADMIN'
  /** A carer in a fostering household (a satellite, or the hub). */
  | 'CARER'
  /** Fostering team: households, children, placements and matching across the organisation. */
  | 'FOSTERING_MANAGER'
  /** Mockingbird liaison worker; sees the constellations they are assigned to. */
  | 'LIAISON_WORKER'
  /** Supervises fostering households; reads across the organisation, manages placements. */
  | 'SUPERVISING_SOCIAL_WORKER';

export type RsvpInput = {
  /** The caller's own carer record when omitted; otherwise a carer of the caller's household. */
  carerId?: string | number | null | undefined;
  childCount?: number | null | undefined;
  going: boolean;
  sessionId: string | number;
};

export type RsvpStatus =
  | 'ATTENDED'
  | 'GOING'
  | 'NOT_GOING'
  | 'NO_SHOW'
  /** Asked to come when the session was full; moved to GOING, first come first served, when a place frees up. */
  | 'WAITLISTED';

export type SleepoverDecisionInput = {
  /** Confirm only: the beds to use, one per child; free beds are chosen when omitted. */
  beds?: Array<number> | null | undefined;
  reason?: string | null | undefined;
  sleepoverId: string | number;
};

export type SleepoverKind =
  | 'EMERGENCY'
  | 'PLANNED';

export type SleepoverStatus =
  | 'CANCELLED'
  /** Confirmed, and its last night is in the past. */
  | 'COMPLETED'
  | 'CONFIRMED'
  | 'DECLINED'
  | 'REQUESTED';

/** Whose figures a StabilityReport gives. */
export type StabilityScopeKind =
  | 'CONSTELLATION'
  /** Households in no constellation, and the children placed with them: the model's comparison group. */
  | 'NO_CONSTELLATION'
  | 'ORGANISATION';

export type UserErrorCode =
  | 'CONFLICT'
  /** A child has no sleepover consent standing on one of the nights. */
  | 'CONSENT_REQUIRED'
  | 'FORBIDDEN'
  /**
   * More than three fostered children in one home on a night (not counting children named in an
   * exemption that covers the night), not all siblings of each other (Children Act 1989, Schedule 7).
   */
  | 'FOSTERING_LIMIT'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_INPUT'
  | 'INVALID_STATE'
  /** The household is not approved (or not approved on that date). */
  | 'NOT_APPROVED'
  | 'NOT_FOUND'
  | 'NO_BED_AVAILABLE'
  | 'NO_VACANCY'
  /** The child's age or the kind of placement is outside the household's approval. */
  | 'OUTSIDE_APPROVAL'
  | 'OUTSIDE_CONSTELLATION'
  /** Overlaps another placement, membership or sleepover of the same child or household. */
  | 'OVERLAP'
  | 'RATE_LIMITED'
  /** A bedroom would be shared by children whose consents do not both allow it (or one names the other). */
  | 'ROOM_SHARING'
  | 'SESSION_FULL'
  /** The hub is closed then (outside its hours, a blocked day) or does not host this purpose. */
  | 'VENUE_NOT_AVAILABLE';

export type CarerHomeQueryVariables = Exact<{
  now: string;
}>;


export type CarerHomeQuery = { me: { id: string, name: string, household: { id: string, name: string, currentPlacements: Array<{ id: string, startDate: string, child: { id: string, firstName: string, age: number, sleepoverNotes: string | null } }> | null, constellation: { id: string, name: string, sessions: { edges: Array<{ node: { id: string, title: string, startsAt: string, placesLeft: number | null, viewerRsvps: Array<{ status: RsvpStatus, waitlistPosition: number | null }> } }> } } | null } | null } | null, sleepovers: { edges: Array<{ node: { id: string, status: SleepoverStatus, startDate: string, endDate: string, children: Array<{ firstName: string }> | null } }> } };

export type HubDashboardQueryVariables = Exact<{
  from: string;
  to: string;
  now: string;
}>;


export type HubDashboardQuery = { me: { id: string, name: string, hubOf: { id: string, name: string, sleepoverBeds: number, hub: { id: string, name: string }, members: { edges: Array<{ node: { joinedOn: string, household: { id: string, name: string, postcodeDistrict: string, carers: Array<{ id: string, name: string }>, currentPlacements: Array<{ id: string, startDate: string, child: { id: string, firstName: string, age: number } }> | null } } }> }, availability: Array<{ date: string, bedsTotal: number, bedsBooked: number, bedsFree: number, blocked: boolean }>, sessions: { edges: Array<{ node: { id: string, title: string, kind: PeerSupportSessionKind, startsAt: string, placesLeft: number | null } }> }, sleepovers: { edges: Array<{ node: { id: string, kind: SleepoverKind, status: SleepoverStatus, startDate: string, endDate: string, household: { id: string, name: string } | null, children: Array<{ id: string, firstName: string }> | null } }> } } | null } | null };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { token: string | null, user: { id: string, name: string, role: Role } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> }> } };

export type PlacementMatchesQueryVariables = Exact<{
  childId: string | number;
  startDate: string;
  kind: PlacementKind;
}>;


export type PlacementMatchesQuery = { placementMatches: Array<{ score: number, reasons: Array<string>, household: { id: string, name: string, postcodeDistrict: string } }> };

export type SessionListQueryVariables = Exact<{
  constellationId: string | number;
  from: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SessionListQuery = { node:
    | { id: string, name: string, sessions: { edges: Array<{ cursor: string, node: { id: string, kind: PeerSupportSessionKind, title: string, startsAt: string, endsAt: string, location: string | null, capacity: number | null, goingCount: number, waitlistCount: number, placesLeft: number | null, viewerRsvps: Array<{ status: RsvpStatus, waitlistPosition: number | null }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } }
    | Record<PropertyKey, never>
   | null };

export type RsvpMutationVariables = Exact<{
  input: RsvpInput;
}>;


export type RsvpMutation = { rsvpPeerSupportSession: { rsvp: { status: RsvpStatus, waitlistPosition: number | null } | null, session: { id: string, goingCount: number, waitlistCount: number, placesLeft: number | null } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string> }> } };

export type SessionChangedSubscriptionVariables = Exact<{
  constellationId?: string | number | null | undefined;
}>;


export type SessionChangedSubscription = { peerSupportSessionChanged: { kind: PeerSupportSessionEventKind, session: { id: string, title: string, goingCount: number, waitlistCount: number } } };

export type RequestSleepoverMutationVariables = Exact<{
  input: RequestSleepoverInput;
}>;


export type RequestSleepoverMutation = { requestSleepover: { sleepover: { id: string, status: SleepoverStatus, startDate: string, endDate: string } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string>, dates: Array<string>, subjectIds: Array<string> }> } };

export type SleepoverDecisionFragment = { sleepover: { id: string, status: SleepoverStatus } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string>, dates: Array<string> }> };

export type ConfirmSleepoverMutationVariables = Exact<{
  input: SleepoverDecisionInput;
}>;


export type ConfirmSleepoverMutation = { confirmSleepover: { sleepover: { id: string, status: SleepoverStatus } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string>, dates: Array<string> }> } };

export type DeclineSleepoverMutationVariables = Exact<{
  input: SleepoverDecisionInput;
}>;


export type DeclineSleepoverMutation = { declineSleepover: { sleepover: { id: string, status: SleepoverStatus } | null, userErrors: Array<{ code: UserErrorCode, message: string, field: Array<string>, dates: Array<string> }> } };

export type StabilityReportQueryVariables = Exact<{
  constellationId?: string | number | null | undefined;
  from: string;
  to: string;
}>;


export type StabilityReportQuery = { stabilityReport: { scope: StabilityScopeKind, from: string, to: string, childrenLookedAfter: number, childrenWithThreeOrMorePlacements: number, threeOrMorePlacementsRate: number | null, longTermEligible: number, longTermStable: number, longTermStabilityRate: number | null, placementEndings: number, unplannedEndings: number, sleepoverNightsUsed: number, householdsAtStart: number, householdsDeregistered: number, carerRetentionRate: number | null } | null };

export const SleepoverDecisionFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SleepoverDecision"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SleepoverPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sleepover"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"dates"}}]}}]}}]} as unknown as DocumentNode<SleepoverDecisionFragment, unknown>;
export const CarerHomeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CarerHome"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"now"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"household"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"currentPlacements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"child"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"age"}},{"kind":"Field","name":{"kind":"Name","value":"sleepoverNotes"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"constellation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"now"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"placesLeft"}},{"kind":"Field","name":{"kind":"Name","value":"viewerRsvps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistPosition"}}]}}]}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"sleepovers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"firstName"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<CarerHomeQuery, CarerHomeQueryVariables>;
export const HubDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"HubDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"now"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"hubOf"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sleepoverBeds"}},{"kind":"Field","name":{"kind":"Name","value":"hub"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"members"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"joinedOn"}},{"kind":"Field","name":{"kind":"Name","value":"household"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"postcodeDistrict"}},{"kind":"Field","name":{"kind":"Name","value":"carers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"currentPlacements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"child"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"age"}}]}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"availability"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"bedsTotal"}},{"kind":"Field","name":{"kind":"Name","value":"bedsBooked"}},{"kind":"Field","name":{"kind":"Name","value":"bedsFree"}},{"kind":"Field","name":{"kind":"Name","value":"blocked"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"now"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"placesLeft"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"sleepovers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"status"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"REQUESTED"}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"household"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<HubDashboardQuery, HubDashboardQueryVariables>;
export const LoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const PlacementMatchesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PlacementMatches"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"childId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"startDate"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PlacementKind"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"placementMatches"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"childId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"childId"}}},{"kind":"Argument","name":{"kind":"Name","value":"startDate"},"value":{"kind":"Variable","name":{"kind":"Name","value":"startDate"}}},{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"}},{"kind":"Field","name":{"kind":"Name","value":"household"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"postcodeDistrict"}}]}}]}}]}}]} as unknown as DocumentNode<PlacementMatchesQuery, PlacementMatchesQueryVariables>;
export const SessionListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"constellationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"constellationId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Constellation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"}},{"kind":"Field","name":{"kind":"Name","value":"goingCount"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistCount"}},{"kind":"Field","name":{"kind":"Name","value":"placesLeft"}},{"kind":"Field","name":{"kind":"Name","value":"viewerRsvps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistPosition"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<SessionListQuery, SessionListQueryVariables>;
export const RsvpDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Rsvp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RsvpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rsvpPeerSupportSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rsvp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistPosition"}}]}},{"kind":"Field","name":{"kind":"Name","value":"session"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"goingCount"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistCount"}},{"kind":"Field","name":{"kind":"Name","value":"placesLeft"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}}]} as unknown as DocumentNode<RsvpMutation, RsvpMutationVariables>;
export const SessionChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SessionChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"constellationId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"peerSupportSessionChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"constellationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"constellationId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"session"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"goingCount"}},{"kind":"Field","name":{"kind":"Name","value":"waitlistCount"}}]}}]}}]}}]} as unknown as DocumentNode<SessionChangedSubscription, SessionChangedSubscriptionVariables>;
export const RequestSleepoverDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestSleepover"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RequestSleepoverInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestSleepover"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sleepover"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"dates"}},{"kind":"Field","name":{"kind":"Name","value":"subjectIds"}}]}}]}}]}}]} as unknown as DocumentNode<RequestSleepoverMutation, RequestSleepoverMutationVariables>;
export const ConfirmSleepoverDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConfirmSleepover"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SleepoverDecisionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"confirmSleepover"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SleepoverDecision"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SleepoverDecision"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SleepoverPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sleepover"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"dates"}}]}}]}}]} as unknown as DocumentNode<ConfirmSleepoverMutation, ConfirmSleepoverMutationVariables>;
export const DeclineSleepoverDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeclineSleepover"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SleepoverDecisionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"declineSleepover"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SleepoverDecision"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SleepoverDecision"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SleepoverPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sleepover"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"dates"}}]}}]}}]} as unknown as DocumentNode<DeclineSleepoverMutation, DeclineSleepoverMutationVariables>;
export const StabilityReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StabilityReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"constellationId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stabilityReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"constellationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"constellationId"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"childrenLookedAfter"}},{"kind":"Field","name":{"kind":"Name","value":"childrenWithThreeOrMorePlacements"}},{"kind":"Field","name":{"kind":"Name","value":"threeOrMorePlacementsRate"}},{"kind":"Field","name":{"kind":"Name","value":"longTermEligible"}},{"kind":"Field","name":{"kind":"Name","value":"longTermStable"}},{"kind":"Field","name":{"kind":"Name","value":"longTermStabilityRate"}},{"kind":"Field","name":{"kind":"Name","value":"placementEndings"}},{"kind":"Field","name":{"kind":"Name","value":"unplannedEndings"}},{"kind":"Field","name":{"kind":"Name","value":"sleepoverNightsUsed"}},{"kind":"Field","name":{"kind":"Name","value":"householdsAtStart"}},{"kind":"Field","name":{"kind":"Name","value":"householdsDeregistered"}},{"kind":"Field","name":{"kind":"Name","value":"carerRetentionRate"}}]}}]}}]} as unknown as DocumentNode<StabilityReportQuery, StabilityReportQueryVariables>;
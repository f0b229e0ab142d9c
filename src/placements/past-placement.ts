import { PlacementEndReason, PlacementKind, PlacementSetting } from './enums';

/**
 * One placement written straight into the history (demo data and test fixtures build a child's
 * past this way): the statement and its parameters, for whichever connection the caller holds.
 * The service's `startPlacement` is how a placement begins today; this skips its checks on purpose,
 * as the history import does, because a past placement was decided elsewhere.
 */
export interface PastPlacement {
  organisationId: string;
  childId: string;
  /** None for a placement outside the organisation's households (a children's home). */
  householdId: string | null;
  start: string;
  end: string | null;
  setting?: string;
  provider?: string;
  kind?: string;
  /** Why it ended (an SSDA903 reason code), when it has. */
  reason?: string;
  unplanned?: boolean;
}

export function pastPlacementInsert(p: PastPlacement): [string, unknown[]] {
  return [
    `insert into placement (organisation_id, child_id, household_id, setting, provider_name, kind, start_date, end_date, end_reason, unplanned)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
    [
      p.organisationId,
      p.childId,
      p.householdId,
      p.setting ?? (p.householdId ? PlacementSetting.FOSTER_HOUSEHOLD : PlacementSetting.RESIDENTIAL),
      p.provider ?? null,
      p.kind ?? PlacementKind.LONG_TERM,
      p.start,
      p.end,
      p.end ? (p.reason ?? PlacementEndReason.CARPL) : null,
      p.end ? (p.unplanned ?? false) : null,
    ],
  ];
}

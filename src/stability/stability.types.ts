import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Constellation } from '../constellations/constellation.entity';
import { registerEnum } from '../platform/graphql/enums';
import { DateScalar } from '../platform/graphql/scalars';

export enum StabilityScopeKind {
  ORGANISATION = 'ORGANISATION',
  CONSTELLATION = 'CONSTELLATION',
  /** Households in no constellation: the comparison that evaluations of the model make. */
  NO_CONSTELLATION = 'NO_CONSTELLATION',
}
registerEnum(StabilityScopeKind, 'StabilityScopeKind', {
  description: 'Whose figures a StabilityReport gives.',
  values: {
    ORGANISATION: null,
    CONSTELLATION: null,
    NO_CONSTELLATION: "Households in no constellation, and the children placed with them: the model's comparison group.",
  },
});

@ObjectType('StabilityReport', {
  description: "Placement-stability figures for a scope and the period [from, to] (both days included).\nDefinitions: the project's documentation, after the DfE children-looked-after measures.",
})
export class StabilityReportType {
  @Field(() => DateScalar) from!: string;
  @Field(() => DateScalar) to!: string;
  @Field(() => StabilityScopeKind, { description: 'Whose figures these are.' }) scope!: StabilityScopeKind;
  @Field(() => Constellation, { nullable: true, description: 'The constellation, for a constellation report.' }) constellation!: Constellation | null;
  @Field(() => Int, {
    description: 'Children looked after on `to` (a placement covering `to`, a temporary stay inside it included;\nchildren with temporary stays only are not counted) in the scope.',
  })
  childrenLookedAfter!: number;
  @Field(() => Int, {
    description: 'Of those, children with 3 or more placements during the period (consecutive records with the\nsame household merged; a return to an earlier household is a new placement).',
  })
  childrenWithThreeOrMorePlacements!: number;
  @Field(() => Float, { nullable: true, description: 'childrenWithThreeOrMorePlacements / childrenLookedAfter; null when there are none.' }) threeOrMorePlacementsRate!: number | null;
  @Field(() => Int, { description: 'Of childrenLookedAfter: under 16 on `to`, looked after continuously since at least 30 months before `to`.' }) longTermEligible!: number;
  @Field(() => Int, { description: 'Of those, children living in the same placement for at least the 2 years up to `to`.' }) longTermStable!: number;
  @Field(() => Float, { nullable: true }) longTermStabilityRate!: number | null;
  @Field(() => Int, { description: 'Placements (merged as above) that ended during the period: moves and leaving care.' }) placementEndings!: number;
  @Field(() => Int, { description: 'Of those, endings marked unplanned.' }) unplannedEndings!: number;
  @Field(() => Int, { description: 'Sleepover nights (one per child per night) inside the period, of sleepovers confirmed or completed.' }) sleepoverNightsUsed!: number;
  @Field(() => Int, { description: 'Households approved on `from` in the scope.' }) householdsAtStart!: number;
  @Field(() => Int, { description: 'Of those, deregistered on or before `to`.' }) householdsDeregistered!: number;
  @Field(() => Float, { nullable: true, description: '1 - householdsDeregistered / householdsAtStart; null when there are none.' }) carerRetentionRate!: number | null;
  /** Resolved in the resolver, for staff only. */
  childIdsWithThreeOrMorePlacements!: string[];
  childIdsWithUnplannedEndings!: string[];
}

@ObjectType('ChildStability')
export class ChildStabilityType {
  @Field(() => Int, {
    description: 'Placements in the 365 days to today (consecutive records with the same household merged, also\nacross a temporary stay elsewhere; sleepovers and RESPITE records never count).',
  })
  placementsInLast12Months!: number;
  @Field(() => Int, { nullable: true, description: 'Days in the current placement; null when not placed.' }) daysInCurrentPlacement!: number | null;
  @Field(() => Int) unplannedEndingsInLast12Months!: number;
}

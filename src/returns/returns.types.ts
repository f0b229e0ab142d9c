import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Constellation } from '../constellations/constellation.entity';
import { DeregistrationReason } from '../households/enums';
import { DateScalar } from '../platform/graphql/scalars';
import { StabilityReportType } from '../stability/stability.types';

@ObjectType('SleepoverFigures')
export class SleepoverFiguresType {
  @Field(() => Int, { description: 'Sleepovers at this hub asked for in the period (by the London date asked), however they ended.' }) requested!: number;
  @Field(() => Int) emergencyRequested!: number;
  @Field(() => Int, { description: 'Of those requested in the period: now CONFIRMED or COMPLETED.' }) confirmed!: number;
  @Field(() => Int, { description: 'Of those requested in the period: DECLINED.' }) declined!: number;
  @Field(() => Int, {
    description: "Child-nights at this hub on the nights of the period, of sleepovers CONFIRMED or COMPLETED (cover\nsleepovers for other constellations' children included).",
  })
  nightsUsed!: number;
  @Field(() => Int, {
    description: "The sum, over the nights of the period from the constellation's launch, of each night's bedsTotal\n(0 on a blocked night).",
  })
  bedNightsAvailable!: number;
  @Field(() => Float, { nullable: true, description: 'nightsUsed / bedNightsAvailable; null when bedNightsAvailable is 0.' }) occupancyRate!: number | null;
  @Field(() => Int) householdsUsing!: number;
  @Field(() => Int) childrenUsing!: number;
}

@ObjectType('SessionFigures')
export class SessionFiguresType {
  @Field(() => Int) held!: number;
  @Field(() => Int) cancelled!: number;
  @Field(() => Int, { description: 'RSVPs marked ATTENDED.' }) attendances!: number;
  @Field(() => Int, { description: 'Satellite households with at least one carer attending.' }) householdsAttending!: number;
}

@ObjectType('SupportFigures')
export class SupportFiguresType {
  @Field(() => Int) contacts!: number;
  @Field(() => Int) outOfHours!: number;
  @Field(() => Int, { description: 'Households the hub carer or liaison worker supported at least once.' }) householdsSupported!: number;
  @Field(() => Int, {
    description:
      'At-risk episodes: entries flagged placementAtRisk, grouped per household and child (or household\nalone when no child is named); an entry opens an episode unless the same pair opened one in the 30\ndays before it.',
  })
  placementsAtRisk!: number;
  @Field(() => Int, { description: 'Of those episodes, the ones whose 90 days after the opening entry have passed.' }) atRiskAssessed!: number;
  @Field(() => Int, {
    description: "Of the assessed, the ones with no unplanned ending within those 90 days of a placement with that\nhousehold (of the named child, or of any child placed there on the entry's date).",
  })
  atRiskPlacementsHeld!: number;
  @Field(() => Int, { description: 'Entries (latest versions) flagged wouldHaveEnded.' }) wouldHaveEnded!: number;
  @Field(() => Int, { description: 'Distinct households with an entry flagged wouldHaveResigned.' }) wouldHaveResigned!: number;
  @Field(() => Int) safeguardingConcerns!: number;
}

@ObjectType('ContactFigures', {
  description: 'Bookings count by the London date they start on; "took place" is an outcome of TOOK_PLACE or\nCUT_SHORT. The booking figures are null for the comparison group.',
})
export class ContactFiguresType {
  @Field(() => Int, { nullable: true }) familyTimeBooked!: number | null;
  @Field(() => Int, { nullable: true }) familyTimeTookPlace!: number | null;
  @Field(() => Int, { nullable: true }) siblingContactBooked!: number | null;
  @Field(() => Int, { nullable: true }) siblingContactTookPlace!: number | null;
  @Field(() => Int, { description: 'Children looked after on `to` in the scope with a sibling placed in another household.' }) separatedSiblings!: number;
  @Field(() => Int, {
    description: 'Of those, children who spent time with such a sibling at a hub (sibling contact that took place,\nor a sleepover night together) on a day in [to − 91 days, to].',
  })
  separatedSiblingsWithContact!: number;
}

@ObjectType('ReasonCount')
export class ReasonCountType {
  @Field(() => DeregistrationReason) reason!: DeregistrationReason;
  @Field(() => Int) count!: number;
}

@ObjectType('RetentionFigures')
export class RetentionFiguresType {
  @Field(() => Int, { description: 'Satellite households approved on `from` (as StabilityReport.householdsAtStart).' }) householdsAtStart!: number;
  @Field(() => [ReasonCountType], {
    nullable: true,
    description:
      'Of those, deregistered on or before `to`, by reason (reasons with none left out). Staff only: null\nfor hub carers, for whom a count among a handful of known households would name one.',
  })
  deregistered!: ReasonCountType[] | null;
  @Field(() => Float, {
    nullable: true,
    description: '1 − (households deregistered for any reason but BECAME_ADOPTERS_OR_GUARDIANS, a permanence\noutcome rather than a loss) / householdsAtStart; null when householdsAtStart is 0.',
  })
  retentionRate!: number | null;
}

@ObjectType('ConstellationReturn', {
  description:
    'What a constellation did and achieved over [from, to] (both days included; an instant counts on its\nLondon date): the figures a fostering service reports on its Mockingbird programme. `constellation`\nis null for the comparison group, households in no constellation, for which sleepovers, sessions and\nsupport are null and contact has only the sibling figures.',
})
export class ConstellationReturnType {
  @Field(() => Constellation, { nullable: true }) constellation!: Constellation | null;
  @Field(() => DateScalar) from!: string;
  @Field(() => DateScalar) to!: string;
  @Field(() => StabilityReportType) stability!: StabilityReportType;
  @Field(() => SleepoverFiguresType, { nullable: true }) sleepovers!: SleepoverFiguresType | null;
  @Field(() => SessionFiguresType, { nullable: true }) sessions!: SessionFiguresType | null;
  @Field(() => SupportFiguresType, { nullable: true }) support!: SupportFiguresType | null;
  @Field(() => ContactFiguresType) contact!: ContactFiguresType;
  @Field(() => RetentionFiguresType) retention!: RetentionFiguresType;
}

import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Child } from '../children/child.entity';
import { Household } from '../households/household.entity';
import { Organisation } from '../organisations/organisation.entity';
import { registerEnum } from '../platform/graphql/enums';

export enum NeedArea {
  DISABILITY = 'DISABILITY',
  MEDICAL = 'MEDICAL',
  BEHAVIOUR = 'BEHAVIOUR',
  EDUCATION = 'EDUCATION',
  LANGUAGE = 'LANGUAGE',
  RELIGION_AND_CULTURE = 'RELIGION_AND_CULTURE',
  EMOTIONAL_WELLBEING = 'EMOTIONAL_WELLBEING',
  EXPLOITATION_RISK = 'EXPLOITATION_RISK',
  OTHER = 'OTHER',
}
registerEnum(NeedArea, 'NeedArea', {
  values: {
    DISABILITY: null,
    MEDICAL: null,
    BEHAVIOUR: null,
    EDUCATION: null,
    LANGUAGE: null,
    RELIGION_AND_CULTURE: null,
    EMOTIONAL_WELLBEING: null,
    EXPLOITATION_RISK: 'Risk of exploitation (criminal, sexual) or going missing.',
    OTHER: null,
  },
});

/**
 * What a child's needs and a household's skills have in common: an area with an optional detail,
 * in the owner's organisation. Each subclass names its owner, which with `position` is its key.
 */
@ObjectType()
abstract class AreaEntry {
  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @Field(() => NeedArea)
  @Enum({ items: () => NeedArea })
  area!: NeedArea;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  detail?: string | null;
}

/**
 * A need carers must be able to meet (special category data: staff only). A child's needs are
 * replaced as a whole, so they are keyed by position: the order staff gave them in.
 */
@ObjectType('ChildNeed')
@Entity({ tableName: 'child_need' })
export class ChildNeed extends AreaEntry {
  @ManyToOne({ entity: () => Child, primary: true, deleteRule: 'cascade' })
  child!: Child;

  @Property({ type: 'smallint', primary: true })
  position!: number;

  @Field(() => Boolean, {
    description: 'A household that cannot meet an essential need is ranked last in matches, with the reason shown,\nnever left out silently.',
  })
  @Property({ type: 'boolean', default: false })
  essential!: boolean;
}

/** What a household's carers can offer, keyed by position like a child's needs. */
@ObjectType('HouseholdSkill', { description: 'What a household\'s carers can offer, e.g. DISABILITY "wheelchair-accessible ground floor".' })
@Entity({ tableName: 'household_skill' })
export class HouseholdSkill extends AreaEntry {
  @ManyToOne({ entity: () => Household, primary: true, deleteRule: 'cascade' })
  household!: Household;

  @Property({ type: 'smallint', primary: true })
  position!: number;
}

import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionTypes } from '../platform/graphql/connection';
import { DateScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { Child } from './child.entity';

@InputType()
export class ChildFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on first name or case reference.' }) search?: string | null;
  @Field(() => ID, { nullable: true, description: "Children placed today with the constellation's satellites." }) constellationId?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'True: only children with a placement today; false: only those without.' }) placed?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'True: only children whose sleepover consent stands tonight; false: only those without one.' })
  hasSleepoverConsent?: boolean | null;
  @Field(() => DateScalar, { nullable: true, description: 'Children whose standing consent ends before this date (to chase renewals).' })
  sleepoverConsentEndsBefore?: string | null;
}

export const { ConnectionType: ChildConnection, EdgeType: ChildEdge } = connectionTypes('Child', Child, 'Ordered by first name, then id.');

@InputType()
export class RegisterChildInput {
  @Field(() => String) reference!: string;
  @Field(() => String) firstName!: string;
  @Field(() => DateScalar) dateOfBirth!: string;
  @Field(() => [ID], { nullable: true, defaultValue: [] }) siblingIds?: string[] | null;
  @Field(() => String, { nullable: true }) sleepoverNotes?: string | null;
}

@InputType()
export class UpdateChildInput {
  @Field(() => ID) childId!: string;
  @Field(() => String, { nullable: true }) reference?: string | null;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => DateScalar, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => [ID], { nullable: true, description: "Replaces the child's sibling links (both directions)." }) siblingIds?: string[] | null;
  @Field(() => String, { nullable: true }) sleepoverNotes?: string | null;
}

@ObjectType()
export class ChildPayload {
  @Field(() => Child, { nullable: true }) child?: Child | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

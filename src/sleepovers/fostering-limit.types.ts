import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { FosteringLimitExemption } from './fostering-limit-exemption.entity';
import { Sleepover } from './sleepover.entity';

@InputType({ description: 'Records an exemption the local authority granted. FOSTERING_MANAGER and ADMIN only.' })
export class GrantFosteringLimitExemptionInput {
  @Field(() => ID) householdId!: string;
  @Field(() => DateScalar) from!: string;
  @Field(() => DateScalar) to!: string;
  @Field(() => Int) maxChildren!: number;
  @Field(() => [ID], { description: 'At least one: the law names the children.' }) childIds!: string[];
  @Field(() => String) grantedByAuthority!: string;
  @Field(() => String, { nullable: true }) conditions?: string | null;
  @Field(() => String) reason!: string;
}

@InputType({
  description:
    'Records that the authority varied or cancelled an exemption: it no longer covers nights from endsOn.\nSleepovers then over the limit are repacked where possible, otherwise cancelled with the reason, and\nreturned. FOSTERING_MANAGER and ADMIN only.',
})
export class EndFosteringLimitExemptionInput {
  @Field(() => ID) exemptionId!: string;
  @Field(() => DateScalar) endsOn!: string;
  @Field(() => String) reason!: string;
}

@ObjectType()
export class FosteringLimitExemptionPayload {
  @Field(() => FosteringLimitExemption, { nullable: true }) exemption?: FosteringLimitExemption | null;
  @Field(() => [Sleepover]) affectedSleepovers!: Sleepover[];
  @Field(() => [UserError]) userErrors!: UserError[];
}

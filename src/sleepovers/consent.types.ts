import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Child } from '../children/child.entity';
import { connectionTypes } from '../platform/graphql/connection';
import { DateScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { RoomSharing, SleepoverConsent } from './consent.entity';
import { Sleepover } from './sleepover.entity';

export const { ConnectionType: SleepoverConsentConnection, EdgeType: SleepoverConsentEdge } = connectionTypes('SleepoverConsent', SleepoverConsent, 'Newest first.');

@InputType({
  description:
    "A new consent, superseding the one before it from givenOn (staff: a supervising social worker, a\nmanager, or the liaison worker of the child's constellation). Refused, with the sleepovers in the\nway, where it would leave a confirmed sleepover outside the rules and no repack helps.",
})
export class RecordSleepoverConsentInput {
  @Field(() => ID) childId!: string;
  @Field(() => String) givenBy!: string;
  @Field(() => DateScalar) givenOn!: string;
  @Field(() => DateScalar, { nullable: true }) expiresOn?: string | null;
  @Field(() => String, { nullable: true }) conditions?: string | null;
  @Field(() => RoomSharing) roomSharing!: RoomSharing;
  @Field(() => [ID], { nullable: true, defaultValue: [] }) notWithIds?: string[] | null;
}

@InputType({
  description: 'Withdraws the standing consent from effectiveFrom (default: the first night not yet begun):\nsleepovers not yet begun are cancelled, one under way is cut short, each with the reason.',
})
export class WithdrawSleepoverConsentInput {
  @Field(() => ID) childId!: string;
  @Field(() => String) reason!: string;
  @Field(() => DateScalar, { nullable: true }) effectiveFrom?: string | null;
}

@ObjectType()
export class SleepoverConsentPayload {
  @Field(() => Child, { nullable: true }) child?: Child | null;
  @Field(() => SleepoverConsent, { nullable: true }) consent?: SleepoverConsent | null;
  @Field(() => [Sleepover], { description: 'Sleepovers cancelled, cut short or moved by the change.' }) affectedSleepovers!: Sleepover[];
  @Field(() => [UserError]) userErrors!: UserError[];
}

import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class HubRoom {
  @Field(() => String) name!: string;
  @Field(() => [Int], { description: 'Bed numbers in this room.' }) beds!: number[];
}

@ObjectType()
export class RoomNight {
  @Field(() => String) name!: string;
  @Field(() => [Int]) beds!: number[];
  @Field(() => [Int]) freeBeds!: number[];
}

@InputType()
export class HubRoomInput {
  @Field(() => String) name!: string;
  @Field(() => Int) beds!: number;
}

@InputType({
  description:
    "Replaces the hub's rooms (hub carer, liaison worker, manager); sleepoverBeds becomes their total.\nFuture confirmed sleepovers are repacked into beds that follow the rules, or the change is refused\nwith the sleepovers in the way. While a hub has more than one room, updateConstellation's\nsleepoverBeds is refused: rooms say how many beds there are.",
})
export class SetHubRoomsInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => [HubRoomInput]) rooms!: HubRoomInput[];
}

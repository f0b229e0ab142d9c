import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ description: undefined })
export abstract class Node {
  @Field(() => ID)
  id!: string;
}

import { Field, Float, ObjectType } from 'type-graphql';
import { ChildNeed } from './needs.entity';

@ObjectType({ description: 'A household to call about a child, with why.' })
export class PlacementMatch {
  /** Resolved to `household` through the households loader, as the viewer may see it. */
  householdId!: string;

  @Field(() => Float, { description: 'Higher is better; comparable only within one result list.' })
  score!: number;

  @Field(() => [String], { description: 'Plain-language reasons behind the score, strongest first.' })
  reasons!: string[];

  @Field(() => [ChildNeed], { description: "The child's essential needs this household has no skill recorded for." })
  unmetNeeds!: ChildNeed[];

  @Field(() => Boolean, { description: 'The child knows this home: lived there before, or stayed there on sleepovers or hub bookings.' })
  knowsChild!: boolean;
}

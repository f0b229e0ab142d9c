import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../platform/graphql/user-errors';

@InputType()
export class ImportPlacementHistoryInput {
  @Field(() => String, {
    description:
      'The CSV file, UTF-8, with a header row: child_reference, first_name, date_of_birth, start_date, end_date, end_reason,\nsetting, household, kind, unplanned (the columns of GET /exports/placements.csv).',
  })
  csv!: string;
}

@ObjectType({ description: 'A problem with one row (or with the file as a whole) of a placement history import.' })
export class PlacementImportRowError {
  @Field(() => Int, { nullable: true, description: 'The line of the file the row starts on (the header is line 1); null for the file as a whole.' })
  row!: number | null;

  @Field(() => String, { nullable: true, description: 'The column at fault, as named in the header; null when the whole row is.' })
  column!: string | null;

  @Field(() => String)
  message!: string;
}

@ObjectType()
export class PlacementImportPayload {
  @Field(() => Int, { nullable: true, description: 'Placements written; null when nothing was.' })
  imported?: number | null;

  @Field(() => Int, { nullable: true, description: 'Children created because no child had their case reference; null when nothing was written.' })
  childrenCreated?: number | null;

  @Field(() => [PlacementImportRowError], { description: 'Every problem found in the file; when there is any, nothing was imported.' })
  rowErrors!: PlacementImportRowError[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}

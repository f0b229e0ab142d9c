import { Field, ID, ObjectType } from 'type-graphql';
import { registerEnum } from './enums';
import { DateScalar } from './scalars';

export enum UserErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  CONFLICT = 'CONFLICT',
  INVALID_STATE = 'INVALID_STATE',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  RATE_LIMITED = 'RATE_LIMITED',
  NOT_APPROVED = 'NOT_APPROVED',
  OUTSIDE_APPROVAL = 'OUTSIDE_APPROVAL',
  NO_VACANCY = 'NO_VACANCY',
  OVERLAP = 'OVERLAP',
  NO_BED_AVAILABLE = 'NO_BED_AVAILABLE',
  OUTSIDE_CONSTELLATION = 'OUTSIDE_CONSTELLATION',
  SESSION_FULL = 'SESSION_FULL',
  FOSTERING_LIMIT = 'FOSTERING_LIMIT',
  CONSENT_REQUIRED = 'CONSENT_REQUIRED',
  ROOM_SHARING = 'ROOM_SHARING',
  VENUE_NOT_AVAILABLE = 'VENUE_NOT_AVAILABLE',
}
registerEnum(UserErrorCode, 'UserErrorCode', {
  values: {
    INVALID_INPUT: null,
    NOT_FOUND: null,
    FORBIDDEN: null,
    CONFLICT: null,
    INVALID_STATE: null,
    INVALID_CREDENTIALS: null,
    RATE_LIMITED: null,
    NOT_APPROVED: 'The household is not approved (or not approved on that date).',
    OUTSIDE_APPROVAL: "The child's age or the kind of placement is outside the household's approval.",
    NO_VACANCY: null,
    OVERLAP: 'Overlaps another placement, membership or sleepover of the same child or household.',
    NO_BED_AVAILABLE: null,
    OUTSIDE_CONSTELLATION: null,
    SESSION_FULL: null,
    FOSTERING_LIMIT:
      'More than three fostered children in one home on a night (not counting children named in an\nexemption that covers the night), not all siblings of each other (Children Act 1989, Schedule 7).',
    CONSENT_REQUIRED: 'A child has no sleepover consent standing on one of the nights.',
    ROOM_SHARING: 'A bedroom would be shared by children whose consents do not both allow it (or one names the other).',
    VENUE_NOT_AVAILABLE: 'The hub is closed then (outside its hours, a blocked day) or does not host this purpose.',
  },
});

@ObjectType({ description: "A problem with the caller's input, or with the request in the current state of the data." })
export class UserError {
  @Field(() => [String], { description: 'Path to the offending input field, e.g. ["input", "endDate"]; empty when not tied to a field.' })
  field!: string[];

  @Field(() => String)
  message!: string;

  @Field(() => UserErrorCode)
  code!: UserErrorCode;

  @Field(() => [ID], {
    description: 'What stands in the way, where the refusal is about other things (e.g. the sleepovers or bookings\na change would break); empty otherwise.',
  })
  subjectIds: string[] = [];

  @Field(() => [DateScalar], { description: 'The nights or days that failed, where the refusal is about some of them; empty otherwise.' })
  dates: string[] = [];
}

/** What a refusal may carry beyond its message: global IDs of what is in the way, failing dates. */
export interface UserErrorDetail {
  subjectIds?: string[];
  dates?: string[];
}

/**
 * Thrown inside a domain service to refuse a request: the mutation runner rolls the transaction
 * back and returns the errors as `userErrors`, so nothing is written. `payload` carries payload
 * fields that explain the refusal in more detail (an import's row-by-row report).
 */
export class UserFacingError extends Error {
  constructor(
    readonly errors: UserError[],
    readonly payload: Record<string, unknown> = {},
  ) {
    super(errors.map((e) => e.message).join('; '));
  }
}

export function userError(code: UserErrorCode, message: string, field: string[] = [], detail: UserErrorDetail = {}): UserError {
  return Object.assign(new UserError(), {
    code,
    message,
    field,
    subjectIds: detail.subjectIds ?? [],
    dates: detail.dates ?? [],
  });
}

/** Collects validation problems so one response lists all of them. */
export class Problems {
  readonly list: UserError[] = [];
  add(code: UserErrorCode, message: string, field: string[] = [], detail: UserErrorDetail = {}): this {
    this.list.push(userError(code, message, field, detail));
    return this;
  }
  get any(): boolean {
    return this.list.length > 0;
  }
  throwIfAny(): void {
    if (this.any) throw new UserFacingError(this.list);
  }
}

export function refuse(code: UserErrorCode, message: string, field: string[] = [], detail: UserErrorDetail = {}): never {
  throw new UserFacingError([userError(code, message, field, detail)]);
}

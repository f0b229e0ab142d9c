import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Role } from '../auth/roles';
import { connectionTypes } from '../platform/graphql/connection';
import { UserError } from '../platform/graphql/user-errors';
import { User } from './user.entity';

@InputType()
export class UserFilter {
  @Field(() => [Role], { nullable: true }) role?: Role[] | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) includeInactive?: boolean | null;
}

export const { ConnectionType: UserConnection, EdgeType: UserEdge } = connectionTypes('User', User, 'Ordered by name.');

@InputType()
export class LoginInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
}

@ObjectType()
export class LoginPayload {
  @Field(() => String, { nullable: true, description: 'Bearer token for the Authorization header; null when the credentials are wrong.' })
  token!: string | null;
  @Field(() => User, { nullable: true }) user!: User | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
export class CreateUserInput {
  @Field(() => String) email!: string;
  @Field(() => String) name!: string;
  @Field(() => Role) role!: Role;
  @Field(() => String) password!: string;
  @Field(() => ID, {
    nullable: true,
    description: "Required for CARER: the login becomes one of that household's carers — the carer of the same\nname that has no login yet, or else a new carer of the household.",
  })
  householdId?: string | null;
}

@InputType()
export class DeactivateUserInput {
  @Field(() => ID) userId!: string;
}

@InputType()
export class ChangePasswordInput {
  @Field(() => String) currentPassword!: string;
  @Field(() => String) newPassword!: string;
}

@ObjectType()
export class UserPayload {
  @Field(() => User, { nullable: true }) user?: User | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

import { Arg, Ctx as GqlCtx, Mutation, Resolver } from 'type-graphql';
import type { Ctx } from '../platform/context';
import { unauthenticated } from '../platform/graphql/errors';
import { userError, UserErrorCode } from '../platform/graphql/user-errors';
import { runMutation } from '../platform/mutation';
import { changePassword } from '../users/user.service';
import { ChangePasswordInput, LoginInput, LoginPayload, UserPayload } from '../users/user.types';
import { login } from './auth.service';
import { loadViewer } from './viewer';

const TOO_MANY = 'Too many attempts; try again in 15 minutes.';

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, { description: 'Public. Wrong credentials give INVALID_CREDENTIALS, never a hint of which part was wrong.' })
  async login(@Arg('input', () => LoginInput) input: LoginInput, @GqlCtx() ctx: Ctx): Promise<LoginPayload> {
    const limiter = ctx.app.loginLimiter;
    // The attempt is counted before the password is checked, so concurrent guesses cannot outrun the count.
    if (!(await limiter.tryLogin(input.email, ctx.clientAddress))) {
      return { token: null, user: null, userErrors: [userError(UserErrorCode.RATE_LIMITED, TOO_MANY)] };
    }
    const result = await login(ctx.em, ctx.app.tokens, input.email, input.password);
    if (!result) {
      return { token: null, user: null, userErrors: [userError(UserErrorCode.INVALID_CREDENTIALS, 'Those credentials are not right.')] };
    }
    await limiter.loginSucceeded(input.email, ctx.clientAddress);
    const viewer = await loadViewer(ctx.em, result.user.id);
    if (viewer) ctx.actAs(viewer);
    return { token: result.token, user: result.user, userErrors: [] };
  }

  @Mutation(() => UserPayload, {
    description: 'Ends every token and socket of the user issued before it, this one included: log in again with the new password.',
  })
  async changePassword(@Arg('input', () => ChangePasswordInput) input: ChangePasswordInput, @GqlCtx() ctx: Ctx) {
    const viewer = ctx.viewer;
    if (!viewer) throw unauthenticated();
    // A stolen token must not become a way to guess the password: limited as login is, counted first.
    if (!(await ctx.app.loginLimiter.tryPasswordChange(viewer.userId))) {
      return { user: null, userErrors: [userError(UserErrorCode.RATE_LIMITED, TOO_MANY, ['input', 'currentPassword'])] };
    }
    // Passwords never reach the audit summary or the idempotency hash in the clear.
    const result = await runMutation(ctx, 'User.changePassword', { currentPassword: '[redacted]', newPassword: '[redacted]' }, (tx) => changePassword(tx, input.currentPassword, input.newPassword));
    if (!result.userErrors.length) {
      await ctx.app.loginLimiter.passwordChanged(viewer.userId);
      // Committed: the database already refuses the old tokens; open sockets close now.
      for (const end of ctx.app.onCredentialsChanged) end(viewer.userId);
    }
    return result;
  }
}

import { Arg, Ctx as GqlCtx, Mutation, Resolver } from 'type-graphql';
import type { Ctx } from '../platform/context';
import { userError, UserErrorCode } from '../platform/graphql/user-errors';
import { runMutation } from '../platform/mutation';
import { changePassword } from '../users/user.service';
import { ChangePasswordInput, LoginInput, LoginPayload, UserPayload } from '../users/user.types';
import { login } from './auth.service';
import { loadViewer } from './viewer';

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, { description: 'Public. Wrong credentials give INVALID_CREDENTIALS, never a hint of which part was wrong.' })
  async login(@Arg('input', () => LoginInput) input: LoginInput, @GqlCtx() ctx: Ctx): Promise<LoginPayload> {
    const limiter = ctx.app.loginLimiter;
    if (await limiter.blocked(input.email, ctx.clientAddress)) {
      return { token: null, user: null, userErrors: [userError(UserErrorCode.RATE_LIMITED, 'Too many failed attempts; try again in 15 minutes.')] };
    }
    const result = await login(ctx.em, ctx.app.tokens, input.email, input.password);
    if (!result) {
      await limiter.failed(input.email, ctx.clientAddress);
      return { token: null, user: null, userErrors: [userError(UserErrorCode.INVALID_CREDENTIALS, 'Those credentials are not right.')] };
    }
    await limiter.succeeded(input.email);
    const viewer = await loadViewer(ctx.em, result.user.id);
    if (viewer) ctx.actAs(viewer);
    return { token: result.token, user: result.user, userErrors: [] };
  }

  @Mutation(() => UserPayload)
  changePassword(@Arg('input', () => ChangePasswordInput) input: ChangePasswordInput, @GqlCtx() ctx: Ctx) {
    // Passwords never reach the audit summary or the idempotency hash in the clear.
    return runMutation(ctx, 'User.changePassword', { currentPassword: '[redacted]', newPassword: '[redacted]' }, (tx) =>
      changePassword(tx, input.currentPassword, input.newPassword),
    );
  }
}

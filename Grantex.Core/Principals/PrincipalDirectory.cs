using System.Text.Json;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Principals;

/// <summary>
/// The principal directory: SCIM users (RFC 7644 over wire format §7.5) tied to grants. A user's <c>userName</c> is the
/// principal. When a user becomes blocked (PATCH/PUT <c>active:false</c>, DELETE, or created inactive) every active
/// grant of that principal with the developer is revoked in the same transaction through the cascade revoker
/// (revocation index, <c>grant.revoked</c> events, audit with the count), and <see cref="PrincipalBlocks"/> refuses new
/// authorizations, consents and code exchanges for them until the user is active again.
/// </summary>
public sealed partial class PrincipalDirectory(IDbContextFactory<GrantexDbContext> factory, WriteQueue writes, GrantRevoker revoker, ChangeNotifier changes)
{
    public async Task<Result<ScimUser>> CreateAsync(ScimCaller caller, ScimUserInput input, CancellationToken cancellationToken = default)
    {
        if (input.Check() is { } invalid)
        {
            return invalid;
        }

        var normalized = ScimUser.Normalize(input.UserName!);
        return await writes.ExecuteAsync<Result<ScimUser>>(async ctx =>
        {
            var existing = await ctx.Db.ScimUsers.FirstOrDefaultAsync(u => u.DeveloperId == caller.DeveloperId && u.NormalizedUserName == normalized, cancellationToken);
            if (existing is { DeletedAt: null })
            {
                return ScimErrors.Conflict($"A user with userName '{input.UserName}' already exists.");
            }

            if (existing is not null)
            {
                // The tombstone of a deleted user kept the principal blocked until now: the provider creates them again.
                ctx.Db.ScimUsers.Remove(existing);
                await ctx.Db.SaveChangesAsync(cancellationToken);
            }

            var user = new ScimUser
            {
                Id = Ids.New(Ids.ScimUser),
                DeveloperId = caller.DeveloperId,
                UserName = input.UserName!,
                NormalizedUserName = normalized,
                CreatedAt = ctx.Now,
                UpdatedAt = ctx.Now,
            };
            Assign(user, input);
            ctx.Db.ScimUsers.Add(user);
            var revoked = user.BlocksPrincipal ? await RevokeAsync(ctx, user, caller.Actor, "scim_deactivated", cancellationToken) : 0;
            await ctx.AppendAuditAsync(Audit(user, AuditActions.ScimUserCreated, caller.Actor, revoked));
            Notify(ctx, user);
            return user;
        }, cancellationToken);
    }

    public async Task<ScimUser?> GetAsync(string developerId, string id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.ScimUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.DeveloperId == developerId && u.DeletedAt == null, cancellationToken);
    }

    /// <summary>A page of users in creation order (SCIM's 1-based <paramref name="startIndex"/>), optionally filtered.</summary>
    public async Task<ScimPage> ListAsync(string developerId, ScimFilter? filter, int startIndex, int count, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.ScimUsers.AsNoTracking().Where(u => u.DeveloperId == developerId && u.DeletedAt == null);
        query = filter?.Attribute switch
        {
            "userName" => query.Where(u => u.NormalizedUserName == ScimUser.Normalize(filter.Value)),
            "externalId" => query.Where(u => u.ExternalId == filter.Value),
            "id" => query.Where(u => u.Id == filter.Value),
            _ => query,
        };
        var total = await query.CountAsync(cancellationToken);
        var items = count == 0 ? [] : await query.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Skip(startIndex - 1).Take(count).ToListAsync(cancellationToken);
        return new ScimPage(total, startIndex, items);
    }

    /// <summary>PUT: every attribute replaced (absent optional ones cleared).</summary>
    public Task<Result<ScimUser>> ReplaceAsync(ScimCaller caller, string id, ScimUserInput input, CancellationToken cancellationToken = default) =>
        UpdateAsync(caller, id, _ => input, cancellationToken);

    /// <summary>PATCH: the operations applied to the stored user, all or nothing.</summary>
    public Task<Result<ScimUser>> PatchAsync(ScimCaller caller, string id, JsonElement body, CancellationToken cancellationToken = default) =>
        UpdateAsync(caller, id, current => ScimPatch.Apply(current, body), cancellationToken);

    public async Task<Result<int>> DeleteAsync(ScimCaller caller, string id, CancellationToken cancellationToken = default) =>
        await writes.ExecuteAsync<Result<int>>(async ctx =>
        {
            var user = await ctx.Db.ScimUsers.FirstOrDefaultAsync(u => u.Id == id && u.DeveloperId == caller.DeveloperId && u.DeletedAt == null, cancellationToken);
            if (user is null)
            {
                return ScimErrors.UserNotFound();
            }

            user.DeletedAt = ctx.Now;
            user.UpdatedAt = ctx.Now;
            user.Version++;
            var revoked = await RevokeAsync(ctx, user, caller.Actor, "scim_deleted", cancellationToken);
            await ctx.AppendAuditAsync(Audit(user, AuditActions.ScimUserDeleted, caller.Actor, revoked));
            Notify(ctx, user);
            return revoked;
        }, cancellationToken);

    private async Task<Result<ScimUser>> UpdateAsync(ScimCaller caller, string id, Func<ScimUserInput, Result<ScimUserInput>> change, CancellationToken cancellationToken) =>
        await writes.ExecuteAsync<Result<ScimUser>>(async ctx =>
        {
            var user = await ctx.Db.ScimUsers.FirstOrDefaultAsync(u => u.Id == id && u.DeveloperId == caller.DeveloperId && u.DeletedAt == null, cancellationToken);
            if (user is null)
            {
                return ScimErrors.UserNotFound();
            }

            var input = change(ScimUserInput.From(user));
            if (!input.IsSuccess)
            {
                return input.Error;
            }

            if (input.Value.Check() is { } invalid)
            {
                return invalid;
            }

            var normalized = ScimUser.Normalize(input.Value.UserName!);
            if (normalized != user.NormalizedUserName
                && await ctx.Db.ScimUsers.AnyAsync(u => u.DeveloperId == caller.DeveloperId && u.NormalizedUserName == normalized, cancellationToken))
            {
                return ScimErrors.Conflict($"A user with userName '{input.Value.UserName}' already exists.");
            }

            var wasBlocked = user.BlocksPrincipal;
            user.UserName = input.Value.UserName!;
            user.NormalizedUserName = normalized;
            Assign(user, input.Value);
            user.UpdatedAt = ctx.Now;
            user.Version++;
            var revoked = user.BlocksPrincipal ? await RevokeAsync(ctx, user, caller.Actor, "scim_deactivated", cancellationToken) : 0;
            var action = user.BlocksPrincipal && !wasBlocked ? AuditActions.ScimUserDeactivated
                : !user.BlocksPrincipal && wasBlocked ? AuditActions.ScimUserReactivated
                : AuditActions.ScimUserUpdated;
            await ctx.AppendAuditAsync(Audit(user, action, caller.Actor, revoked));
            Notify(ctx, user);
            return user;
        }, cancellationToken);

    /// <summary>Every active grant of the principal (with descendants), through the one cascade revoker.</summary>
    private Task<int> RevokeAsync(WriteContext ctx, ScimUser user, string actor, string reason, CancellationToken cancellationToken) =>
        revoker.RevokePrincipalAsync(ctx, user.DeveloperId, user.UserName, actor, reason, cancellationToken);

    private void Notify(WriteContext ctx, ScimUser user) =>
        ctx.AfterCommit(() => changes.Publish(ChangeKind.PrincipalChanged, user.DeveloperId, user.UserName));

    private static void Assign(ScimUser user, ScimUserInput input)
    {
        user.ExternalId = input.ExternalId;
        user.DisplayName = input.DisplayName;
        user.GivenName = input.GivenName;
        user.FamilyName = input.FamilyName;
        user.Active = input.Active;
        user.Emails = input.Emails;
    }

    private static AuditDraft Audit(ScimUser user, AuditAction action, string actor, int revoked) =>
        AuditDraft.For(new AuditSubject(user.DeveloperId, PrincipalId: user.UserName), action, actor, AuditMetadata
            .With("scimUserId", user.Id)
            .And("userName", user.UserName)
            .And("active", user.Active)
            .And("revokedGrants", revoked));
}

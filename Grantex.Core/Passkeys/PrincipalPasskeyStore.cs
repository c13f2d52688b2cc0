using System.Buffers.Text;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Passkeys;

/// <summary>
/// The read side ASP.NET Core Identity's passkey handler needs (find the user, list and find passkeys), over the
/// principal tables. Writes do not go through Identity: <see cref="PasskeyService"/> makes them in the single writer
/// (with the audit entry and the sign-count compare-and-set in the same transaction), so the write members refuse.
/// </summary>
public sealed class PrincipalPasskeyStore(IDbContextFactory<GrantexDbContext> factory) : IUserPasskeyStore<PasskeyPrincipal>
{
    public async Task<PasskeyPrincipal?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PasskeyPrincipal>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == userId, cancellationToken);
    }

    public Task<PasskeyPrincipal?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        Task.FromResult<PasskeyPrincipal?>(null);

    public Task<string> GetUserIdAsync(PasskeyPrincipal user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(PasskeyPrincipal user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.PrincipalId);

    public Task<string?> GetNormalizedUserNameAsync(PasskeyPrincipal user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.PrincipalId);

    public async Task<IList<UserPasskeyInfo>> GetPasskeysAsync(PasskeyPrincipal user, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<PrincipalPasskey>().AsNoTracking().Where(p => p.PrincipalKey == user.Id).OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);
        return [.. rows.Select(ToInfo)];
    }

    public async Task<PasskeyPrincipal?> FindByPasskeyIdAsync(byte[] credentialId, CancellationToken cancellationToken)
    {
        var id = Base64Url.EncodeToString(credentialId);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PrincipalPasskey>().AsNoTracking().Where(p => p.CredentialId == id)
            .Join(db.Set<PasskeyPrincipal>(), k => k.PrincipalKey, p => p.Id, (_, p) => p)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<UserPasskeyInfo?> FindPasskeyAsync(PasskeyPrincipal user, byte[] credentialId, CancellationToken cancellationToken)
    {
        var id = Base64Url.EncodeToString(credentialId);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<PrincipalPasskey>().AsNoTracking().FirstOrDefaultAsync(p => p.PrincipalKey == user.Id && p.CredentialId == id, cancellationToken);
        return row is null ? null : ToInfo(row);
    }

    public Task AddOrUpdatePasskeyAsync(PasskeyPrincipal user, UserPasskeyInfo passkey, CancellationToken cancellationToken) => throw WritesElsewhere();

    public Task RemovePasskeyAsync(PasskeyPrincipal user, byte[] credentialId, CancellationToken cancellationToken) => throw WritesElsewhere();

    public Task SetUserNameAsync(PasskeyPrincipal user, string? userName, CancellationToken cancellationToken) => throw WritesElsewhere();

    public Task SetNormalizedUserNameAsync(PasskeyPrincipal user, string? normalizedName, CancellationToken cancellationToken) => throw WritesElsewhere();

    public Task<IdentityResult> CreateAsync(PasskeyPrincipal user, CancellationToken cancellationToken) => throw WritesElsewhere();

    public Task<IdentityResult> UpdateAsync(PasskeyPrincipal user, CancellationToken cancellationToken) => throw WritesElsewhere();

    public Task<IdentityResult> DeleteAsync(PasskeyPrincipal user, CancellationToken cancellationToken) => throw WritesElsewhere();

    public void Dispose()
    {
        // Contexts are created and disposed per call.
    }

    internal static UserPasskeyInfo ToInfo(PrincipalPasskey p) =>
        new(Base64Url.DecodeFromChars(p.CredentialId), p.PublicKey, new DateTimeOffset(DateTime.SpecifyKind(p.CreatedAt, DateTimeKind.Utc)),
            (uint)p.SignCount, [.. p.Transports], p.IsUserVerified, p.IsBackupEligible, p.IsBackedUp, p.AttestationObject ?? [], p.ClientDataJson ?? [])
        {
            Name = p.DeviceName,
        };

    private static NotSupportedException WritesElsewhere() =>
        new("Principal passkeys are written by PasskeyService inside the single writer, not through Identity's UserManager.");
}

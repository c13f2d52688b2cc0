using Grantex.Console.Components.Account;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Keys;

namespace Grantex.Console.Components.Pages.Keys;

/// <summary>Signing keys: list with status and use, and rotation (administrators; audited on the console chain).</summary>
public sealed class KeyAdmin(OperatorAccess access, SigningKeyStore keys, ChangeNotifier changes)
{
    public async Task<Result<IReadOnlyList<SigningKeyRow>>> ListAsync(CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list signing keys", cancellationToken: cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var usage = await keys.UsageAsync(cancellationToken);
        var rows = await keys.ListAsync(cancellationToken);
        return Result<IReadOnlyList<SigningKeyRow>>.Ok([.. rows.Select(k => new SigningKeyRow(k.Id, k.Status, k.CreatedAt, k.RotatedAt, k.RetiredAt, usage.GetValueOrDefault(k.Id)))]);
    }

    /// <summary>Makes a new key the signer; the previous one keeps verifying until its last token expires.</summary>
    public async Task<Result<SigningKeyRow>> RotateAsync(CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "rotate signing keys", cancellationToken: cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var previous = (await keys.ListAsync(cancellationToken)).FirstOrDefault(k => k.Status == "signing")?.Id;
        var key = await keys.RotateAsync(cancellationToken);
        await access.AuditAsync(allowed.Value, AuditActions.SigningKeyRotated, AuditMetadata.With("kid", key.Id).And("previousKid", previous), cancellationToken);
        changes.Publish(ChangeKind.SigningKeysChanged, "", key.Id);
        return new SigningKeyRow(key.Id, key.Status, key.CreatedAt, key.RotatedAt, key.RetiredAt, null);
    }
}

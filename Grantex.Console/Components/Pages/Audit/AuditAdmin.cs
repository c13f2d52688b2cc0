using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Compliance;

namespace Grantex.Console.Components.Pages.Audit;

/// <summary>The console's audit actions: the timeline, entry detail, and chain verification (compliance officers and administrators).</summary>
public sealed class AuditAdmin(OperatorAccess access, AuditService audit, ComplianceService compliance, DeveloperNames developers)
{
    public async Task<Result<Page<AuditEntry>>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "read the audit log", cancellationToken: cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var paging = new PageRequest(query.Cursor, query.Size).Validate();
        return paging.IsSuccess
            ? await audit.ListAcrossAsync(query.DeveloperId, query.Filter, paging.Value.After, paging.Value.Size, cancellationToken)
            : paging.Error;
    }

    public async Task<Result<AuditEntryDetail>> GetAsync(string entryId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "read the audit log", entryId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var entry = await audit.FindAsync(entryId, cancellationToken);
        if (entry is null)
        {
            return GxError.NotFound($"There is no audit entry {entryId}.");
        }

        var previous = entry.ChainIndex > 0 ? await audit.FindAtAsync(entry.DeveloperId, entry.ChainIndex - 1, cancellationToken) : null;
        var next = await audit.FindAtAsync(entry.DeveloperId, entry.ChainIndex + 1, cancellationToken);
        var names = await developers.GetAsync(cancellationToken);
        bool? matches = allowed.Value.Can(ConsolePermission.Verify) ? AuditHash.Compute(AuditHashInput.From(entry)) == entry.Hash : null;
        return new AuditEntryDetail(entry, names.GetValueOrDefault(entry.DeveloperId, entry.DeveloperId), previous, next, matches);
    }

    /// <summary>Walks one chain, or every chain when <paramref name="chainId"/> is null, and names the first broken entry of each.</summary>
    public async Task<Result<IReadOnlyList<ChainStatus>>> VerifyAsync(string? chainId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Verify, "verify the audit chain", chainId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var names = await developers.GetAsync(cancellationToken);
        var chains = chainId is null ? await audit.ListChainsAsync(cancellationToken) : [chainId];
        var results = new List<ChainStatus>(chains.Count);
        foreach (var chain in chains)
        {
            // The same verification as GET /v1/audit/verify and the Compliance page: the walk plus the latest signed
            // checkpoint, so a cut tail or a rewritten chain shows here too, not only in the API.
            var integrity = await compliance.VerifyChainAsync(chain, cancellationToken);
            var verification = new ChainVerification(integrity.Valid, integrity.CheckedEntries, integrity.FirstBrokenAt, integrity.Reason, integrity.Detail, integrity.Walk.HeadHash);
            results.Add(new ChainStatus(chain, names.GetValueOrDefault(chain, chain), verification));
        }

        return results;
    }
}

using Grantex.Console.Components.Account;
using Grantex.Core.Common;
using Grantex.Core.Compliance;

namespace Grantex.Console.Components.Pages.Compliance;

/// <summary>
/// The Compliance page's actions: summary, chain integrity against the latest checkpoint, checkpoints. For compliance
/// officers and administrators (checked on the server for every call; refusals audited by <see cref="OperatorAccess"/>).
/// </summary>
public sealed class ComplianceAdmin(OperatorAccess access, ComplianceService compliance, CheckpointService checkpoints)
{
    public async Task<Result<ComplianceSummary>> SummaryAsync(string developerId, ComplianceFilter filter, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Verify, "read compliance reports", developerId, cancellationToken);
        return allowed.IsSuccess ? await compliance.GetSummaryAsync(developerId, filter, cancellationToken) : allowed.Error;
    }

    public async Task<Result<ChainIntegrity>> ChainAsync(string developerId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Verify, "verify the audit chain", developerId, cancellationToken);
        return allowed.IsSuccess ? await compliance.VerifyChainAsync(developerId, cancellationToken) : allowed.Error;
    }

    public async Task<Result<IReadOnlyList<AuditCheckpoint>>> CheckpointsAsync(string developerId, int size = 20, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Verify, "list chain checkpoints", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var page = await checkpoints.ListAsync(developerId, null, size, cancellationToken);
        return Result<IReadOnlyList<AuditCheckpoint>>.Ok(page.Items);
    }

    /// <summary>Signs a checkpoint of the chain head now (evidence, not a change to any grant: compliance officers may).</summary>
    public async Task<Result<AuditCheckpoint>> SignCheckpointAsync(string developerId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Verify, "sign chain checkpoints", developerId, cancellationToken);
        return allowed.IsSuccess ? await checkpoints.CreateAsync(developerId, cancellationToken) : allowed.Error;
    }
}

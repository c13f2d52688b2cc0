using Grantex.Console.Components.Account;
using Grantex.Core.Anomalies;
using Grantex.Core.Common;

namespace Grantex.Console.Components.Pages.Anomalies;

/// <summary>
/// The console's anomaly actions, each permission-checked on the server (<see cref="OperatorAccess"/>), as for
/// policies: every role reads; only administrators acknowledge and run detection (a pass writes anomalies and, with
/// automatic revocation on, may revoke grants).
/// </summary>
public sealed class AnomalyAdmin(OperatorAccess access, AnomalyService anomalies)
{
    public const int PageSize = 200;

    /// <summary>The newest anomalies of one developer, or of all when <paramref name="developerId"/> is null, and how many match.</summary>
    public async Task<Result<(IReadOnlyList<Anomaly> Items, int Total)>> ListAsync(string? developerId, AnomalyFilter filter, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list anomalies", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var (page, total) = await anomalies.ListAcrossAsync(developerId, filter, null, PageSize, cancellationToken);
        return (page.Items, total);
    }

    public async Task<Result<Anomaly>> AcknowledgeAsync(Anomaly anomaly, string? notes, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "acknowledge anomalies", anomaly.Id, cancellationToken);
        return allowed.IsSuccess
            ? await anomalies.AcknowledgeAsync(anomaly.DeveloperId, anomaly.Id, allowed.Value.Actor, notes, cancellationToken)
            : allowed.Error;
    }

    /// <summary>A detection pass now for one developer, or for every developer; returns how many anomalies are new.</summary>
    public async Task<Result<(int Created, int Holding, int Revoked)>> DetectAsync(string? developerId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "run anomaly detection", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var developers = developerId is null ? await anomalies.DeveloperIdsAsync(cancellationToken) : [developerId];
        var (created, holding, revoked) = (0, 0, 0);
        foreach (var id in developers)
        {
            var result = await anomalies.DetectAsync(id, cancellationToken);
            created += result.Created;
            holding += result.Anomalies.Count;
            revoked += result.AutoRevokedGrants;
        }

        return (created, holding, revoked);
    }
}

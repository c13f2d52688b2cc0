using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grantex.Console.Infrastructure.Operations;

/// <summary>
/// Ready only when every committed migration is applied: a node started with automatic migration off, or pointed at a
/// database another version migrated, must not take traffic against a schema its code does not match.
/// </summary>
public sealed class MigrationsHealthCheck(IDbContextFactory<GrantexDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        return pending == 0
            ? HealthCheckResult.Healthy("Every migration is applied.")
            : new HealthCheckResult(context.Registration.FailureStatus, $"{pending} migration(s) not applied to this database.");
    }
}

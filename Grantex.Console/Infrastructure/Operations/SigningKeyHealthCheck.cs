using Grantex.Core.Keys;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grantex.Console.Infrastructure.Operations;

/// <summary>Ready only once a signing key is loaded in memory: without one the node could not issue a token.</summary>
public sealed class SigningKeyHealthCheck(SigningKeyStore keys) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(keys.CurrentCreatedAt is not null
            ? HealthCheckResult.Healthy("A signing key is loaded.")
            : new HealthCheckResult(context.Registration.FailureStatus, "No signing key is loaded."));
}

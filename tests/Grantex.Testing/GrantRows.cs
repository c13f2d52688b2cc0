using Grantex.Core.Common;
using Grantex.Core.Grants;

namespace Grantex.Testing;

/// <summary>
/// Grant rows for tests that write them straight through the writer (<c>ctx.InsertAsync</c>): many grants, or exact
/// tree shapes, without running a consent flow for each.
/// </summary>
public static class GrantRows
{
    /// <summary>Now in whole milliseconds (the stored precision), so a row written with it reads back equal.</summary>
    public static DateTime Now() => TimeFormat.FromUnixMillis(TimeFormat.ToUnixMillis(DateTime.UtcNow));

    /// <summary>An active grant with a new id: a root grant, or delegated from <paramref name="parent"/> (same tree, one level down).</summary>
    public static Grant Active(
        string developerId, string agentId, string principalId, DateTime issuedAt, DateTime expiresAt,
        Grant? parent = null, List<string>? scopes = null, string? audience = null)
    {
        var id = Ids.New(Ids.Grant);
        return new Grant
        {
            Id = id,
            DeveloperId = developerId,
            AgentId = agentId,
            PrincipalId = principalId,
            Scopes = scopes ?? ["read"],
            Audience = audience,
            Status = GrantStatus.Active,
            IssuedAt = issuedAt,
            ExpiresAt = expiresAt,
            ParentGrantId = parent?.Id,
            RootGrantId = parent?.RootGrantId ?? id,
            DelegationDepth = parent is null ? 0 : parent.DelegationDepth + 1,
        };
    }
}

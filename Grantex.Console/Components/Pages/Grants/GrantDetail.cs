using Grantex.Core.Audit;
using Grantex.Core.Tokens;

namespace Grantex.Console.Components.Pages.Grants;

/// <summary>Everything the grant page shows: the grant, its tokens, its audit trail and its place in a delegation tree.</summary>
public sealed record GrantDetail(
    GrantRow Row,
    IReadOnlyList<IssuedToken> Tokens,
    IReadOnlyList<AuditEntry> Audit,
    int TreeSize,
    string? ParentAgentName);

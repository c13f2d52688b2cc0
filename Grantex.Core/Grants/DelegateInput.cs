namespace Grantex.Core.Grants;

/// <summary>The body of <c>POST /v1/grants/delegate</c> (wire format §3.10).</summary>
public sealed record DelegateInput(string? ParentGrantToken, string? SubAgentId, IReadOnlyList<string?>? Scopes, string? ExpiresIn);

using System.Text.Json;

namespace Grantex.Core.Audit;

/// <summary>The body of <c>POST /v1/audit/log</c> (wire format §3.11).</summary>
public sealed record AuditLogInput(
    string? AgentId,
    string? AgentDid,
    string? GrantId,
    string? PrincipalId,
    string? Action,
    string? Status,
    JsonElement? Metadata);

using Grantex.Core.Audit;

namespace Grantex.Console.Components.Pages.Audit;

/// <summary>One page of the audit timeline: chain (null: all), filters, cursor, size.</summary>
public sealed record AuditQuery(string? DeveloperId, AuditFilter Filter, string? Cursor = null, int Size = 50);

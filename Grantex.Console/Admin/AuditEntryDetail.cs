using Grantex.Core.Audit;

namespace Grantex.Console.Admin;

/// <summary>An audit entry with the chain it belongs to and its neighbours in that chain (for the hash links).</summary>
public sealed record AuditEntryDetail(AuditEntry Entry, string ChainName, AuditEntry? Previous, AuditEntry? Next);

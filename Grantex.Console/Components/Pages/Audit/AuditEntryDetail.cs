using Grantex.Core.Audit;

namespace Grantex.Console.Components.Pages.Audit;

/// <summary>
/// An audit entry with the chain it belongs to, its neighbours in that chain (for the hash links), and — for people who
/// may verify — whether its fields still produce its stored hash.
/// </summary>
public sealed record AuditEntryDetail(AuditEntry Entry, string ChainName, AuditEntry? Previous, AuditEntry? Next, bool? HashMatches);

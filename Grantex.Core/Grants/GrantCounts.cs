namespace Grantex.Core.Grants;

/// <summary>Grant totals for the console's overview. "Revoked today" counts from 00:00 UTC.</summary>
public sealed record GrantCounts(int Active, int RevokedToday, int Total);

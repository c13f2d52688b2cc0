namespace Grantex.Core.Grants;

/// <summary>Grants issued and revoked on one UTC day.</summary>
public sealed record DailyGrantActivity(DateOnly Day, int Issued, int Revoked);

namespace Grantex.Core.Policies;

/// <summary>
/// A policy to create, or the fields of one to change (PATCH): <c>name</c>, <c>effect</c> and <c>priority</c> are
/// kept when null; the conditions are kept when not set and cleared when set to null.
/// </summary>
public sealed record PolicyInput
{
    public string? Name { get; init; }

    public string? Effect { get; init; }

    public int? Priority { get; init; }

    public Settable<string> AgentId { get; init; }

    public Settable<string> PrincipalId { get; init; }

    public Settable<IReadOnlyList<string?>> Scopes { get; init; }

    public Settable<string> TimeOfDayStart { get; init; }

    public Settable<string> TimeOfDayEnd { get; init; }

    public Settable<string> TimeZone { get; init; }

    /// <summary>The version the editor saw (console); a different stored version is a conflict.</summary>
    public long? ExpectedVersion { get; init; }
}

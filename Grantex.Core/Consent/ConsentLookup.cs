namespace Grantex.Core.Consent;

/// <summary>A request found for the consent page, in whatever state it is (<see cref="View"/> is null only when not found).</summary>
public sealed record ConsentLookup(ConsentLookupState State, ConsentView? View)
{
    public static readonly ConsentLookup NotFound = new(ConsentLookupState.NotFound, null);
}

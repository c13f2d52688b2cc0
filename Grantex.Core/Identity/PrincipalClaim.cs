namespace Grantex.Core.Identity;

/// <summary>
/// Which ID-token claim must equal a request's <c>principalId</c>, and how they are compared (README, "Proving who
/// approved"): <c>email</c> and <c>preferred_username</c> ignore case (ordinal, invariant; surrounding white space
/// trimmed), as mail systems and most identity providers treat them; <c>sub</c> is compared exactly.
/// </summary>
public static class PrincipalClaim
{
    public const string Email = "email";
    public const string PreferredUsername = "preferred_username";
    public const string Subject = "sub";

    public static readonly IReadOnlyList<string> All = [Email, PreferredUsername, Subject];

    public static bool IsKnown(string? claim) => claim is Email or PreferredUsername or Subject;

    /// <summary>Whether the signed-in person's <paramref name="claimValue"/> names <paramref name="principalId"/>.</summary>
    public static bool Matches(string claim, string? claimValue, string principalId)
    {
        if (string.IsNullOrEmpty(claimValue))
        {
            return false;
        }

        return claim == Subject
            ? string.Equals(claimValue, principalId, StringComparison.Ordinal)
            : string.Equals(claimValue.Trim(), principalId.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when no domains are configured, else when <paramref name="email"/>'s domain is one of them (case ignored).</summary>
    public static bool DomainAllowed(IReadOnlyList<string> domains, string? email)
    {
        if (domains.Count == 0)
        {
            return true;
        }

        var at = email?.LastIndexOf('@') ?? -1;
        return at > 0 && domains.Contains(email![(at + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
    }
}

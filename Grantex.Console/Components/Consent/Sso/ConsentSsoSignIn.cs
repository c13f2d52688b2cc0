using Grantex.Core.Identity;

namespace Grantex.Console.Components.Consent.Sso;

/// <summary>
/// A person's sign-in at the developer's identity provider for one consent request, as this browser's
/// <see cref="ConsentSsoCookie"/> carries it: who the provider says they are, and — when that is not the request's
/// principal, or their email domain is not allowed — why the sign-in does not count.
/// </summary>
public sealed record ConsentSsoSignIn(
    string RequestId,
    string ConnectionId,
    string Issuer,
    string Subject,
    string Claim,
    string? MappedValue,
    string? Email,
    string? Name,
    DateTime At,
    IReadOnlyList<string> Amr,
    string? Refusal)
{
    /// <summary>Who the person is signed in as, in words (the mapped claim, else email, else subject).</summary>
    public string SignedInAs => MappedValue ?? Email ?? Subject;

    /// <summary>The proof a decision needs, or null when the sign-in does not count.</summary>
    public IdentityProof? Proof => Refusal is null ? ToProof() : null;

    public IdentityProof ToProof() => new(RequestId, ConnectionId, Issuer, Subject, Claim, MappedValue, Email, At, Amr);
}

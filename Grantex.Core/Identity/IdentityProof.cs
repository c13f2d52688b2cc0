namespace Grantex.Core.Identity;

/// <summary>
/// A person's sign-in at the developer's identity provider, made on the consent page for one authorization request
/// (the OIDC handler validated state, nonce, issuer, audience and signature before this exists). What
/// <see cref="Consent.ConsentService.DecideAsync"/> checks against the request and records as evidence.
/// </summary>
/// <param name="AuthRequestId">The request the sign-in was started for; a proof never moves to another request.</param>
/// <param name="ConnectionId">The SSO connection used.</param>
/// <param name="Issuer">The IdP's <c>iss</c>.</param>
/// <param name="Subject">The IdP's <c>sub</c>.</param>
/// <param name="Claim">The connection's principal claim: email, preferred_username or sub (<see cref="PrincipalClaim"/>).</param>
/// <param name="MappedValue">That claim's value in the ID token.</param>
/// <param name="Email">The <c>email</c> claim, when the IdP sent one (for the allowed-domains rule).</param>
/// <param name="At">When the IdP's ID token was validated here.</param>
/// <param name="Amr">The IdP's own <c>amr</c> values, when it sent any.</param>
public sealed record IdentityProof(
    string AuthRequestId, string ConnectionId, string Issuer, string Subject, string Claim, string? MappedValue, string? Email, DateTime At, IReadOnlyList<string> Amr);

namespace Grantex.Core.OAuth;

/// <summary>A registered client as RFC 7591 §3.2.1 answers it; <see cref="ClientSecret"/> and <see cref="RegistrationAccessToken"/> only at registration.</summary>
public sealed record ClientRegistration(
    OAuthClient Client,
    string ClientName,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> GrantTypes,
    string? ClientSecret,
    string? RegistrationAccessToken);

/// <summary>An initial access token just created; <see cref="Token"/> is shown once.</summary>
public sealed record CreatedRegistrationToken(string Id, string Token, DateTime ExpiresAt, int MaxUses);

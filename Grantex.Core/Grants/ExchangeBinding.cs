namespace Grantex.Core.Grants;

/// <summary>What an OAuth code exchange must repeat from its authorization request: the redirect URI, and the resource if it names one.</summary>
public sealed record ExchangeBinding(string? RedirectUri, string? Resource);

namespace Grantex.Core.Keys;

/// <summary>A public RSA key as published in <c>/.well-known/jwks.json</c>.</summary>
public sealed record JsonWebKeyDto(string Kty, string N, string E, string Alg, string Use, string Kid);

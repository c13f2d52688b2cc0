using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Grantex.Core.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Tokens;

/// <summary>
/// Verifies grant tokens offline against a set of public keys (a JWKS): RS256 only, key chosen by <c>kid</c> from
/// the given set alone (nothing is fetched: <c>jku</c>, <c>x5u</c> and <c>jwk</c> headers are ignored), issuer,
/// lifetime on the given clock, audience and required scopes. Delegation and presence claims are exposed.
/// </summary>
public sealed class GrantTokenVerifier
{
    /// <summary>How many verified tokens are remembered (about 1.5 KB each); beyond it the memory starts empty again.</summary>
    public const int MaxRemembered = 4096;

    private static readonly JsonWebTokenHandler Handler = new();
    private readonly Func<IReadOnlyDictionary<string, RsaSecurityKey>> _keys;
    private readonly TimeProvider _time;

    // Tokens whose signature and issuer were checked, by their exact text: a token's bytes never change, so neither does
    // the answer while its key is still one of ours (checked on every hit; a retired key makes it a miss). Only tokens
    // that verified are kept, so nobody can fill it without our signatures. Everything time- or option-dependent
    // (expiry, audience, scopes, identity) is checked again on every call.
    private readonly ConcurrentDictionary<string, Checked> _checked = new(StringComparer.Ordinal);
    private int _checkedCount;

    private sealed record Checked(RsaSecurityKey Key, string Kid, string Issuer, string EncodedPayload);

    /// <param name="keys">The current keys by kid (re-read on every call, so rotation needs no new verifier).</param>
    public GrantTokenVerifier(Func<IReadOnlyDictionary<string, RsaSecurityKey>> keys, TimeProvider? time = null)
    {
        _keys = keys;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A verifier over a JWKS document (e.g. the body of <c>/.well-known/jwks.json</c>).</summary>
    public static GrantTokenVerifier FromJwks(string jwksJson, TimeProvider? time = null)
    {
        var set = new JsonWebKeySet(jwksJson);
        var keys = new Dictionary<string, RsaSecurityKey>(StringComparer.Ordinal);
        foreach (var jwk in set.Keys)
        {
            if (jwk.Kty != "RSA" || string.IsNullOrEmpty(jwk.Kid) || (jwk.Alg is { Length: > 0 } alg && alg != "RS256"))
            {
                continue;
            }

            var parameters = new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E) };
            keys[jwk.Kid] = new RsaSecurityKey(parameters) { KeyId = jwk.Kid };
        }

        return new GrantTokenVerifier(() => keys, time);
    }

    public async Task<TokenVerification> VerifyAsync(string? token, GrantTokenVerifierOptions options)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return TokenVerification.Fail(TokenCheck.Malformed, "No token was given.");
        }

        if (token.Length > options.MaxTokenLength)
        {
            return TokenVerification.Fail(TokenCheck.TooLarge, "The token is larger than any grant token.");
        }

        if (_checked.TryGetValue(token, out var known) && string.Equals(known.Issuer, options.Issuer, StringComparison.Ordinal)
            && _keys().TryGetValue(known.Kid, out var current) && ReferenceEquals(current, known.Key))
        {
            return CheckClaims(known.EncodedPayload, known.Issuer, options);
        }

        if (token.Count(c => c == '.') != 2 || !Handler.CanReadToken(token))
        {
            return TokenVerification.Fail(TokenCheck.Malformed, "The token is not a signed JWT (three base64url segments).");
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return TokenVerification.Fail(TokenCheck.Malformed, "The token could not be parsed.");
        }

        if (jwt.Alg != SecurityAlgorithms.RsaSha256)
        {
            return TokenVerification.Fail(TokenCheck.BadSignature, $"Algorithm '{jwt.Alg}' is not accepted; only RS256 is.");
        }

        var keys = _keys();
        if (string.IsNullOrEmpty(jwt.Kid) || !keys.TryGetValue(jwt.Kid, out var key))
        {
            return TokenVerification.Fail(TokenCheck.UnknownKey, "The token's key id is not one of the server's keys.");
        }

        var parameters = new TokenValidationParameters
        {
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            IssuerSigningKey = key,
            IssuerSigningKeyResolver = (_, _, _, _) => [key],
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidateIssuer = true,
            ValidIssuer = options.Issuer,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        };
        var result = await Handler.ValidateTokenAsync(jwt, parameters);
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenInvalidIssuerException
                ? TokenVerification.Fail(TokenCheck.WrongIssuer, "The token was issued by another server.")
                : TokenVerification.Fail(TokenCheck.BadSignature, "The token's signature does not verify.");
        }

        if (Interlocked.Increment(ref _checkedCount) > MaxRemembered)
        {
            _checked.Clear();
            Interlocked.Exchange(ref _checkedCount, 1);
        }

        _checked[token] = new Checked(key, jwt.Kid, jwt.Issuer, jwt.EncodedPayload);
        return CheckClaims(jwt.EncodedPayload, jwt.Issuer, options);
    }

    private TokenVerification CheckClaims(string encodedPayload, string issuer, GrantTokenVerifierOptions options)
    {
        // Read the claims from the payload JSON itself: the token library converts some registered claims on
        // parsing (a string "exp" becomes a number), and a grant token's claims must have their JSON types.
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(encodedPayload));
        var root = payload.RootElement;
        if (!TryString(root, "jti", out var jti) || !TryString(root, "sub", out var sub) || !TryString(root, "agt", out var agt)
            || !TryString(root, "dev", out var dev) || !TryNumber(root, "iat", out var iat) || !TryNumber(root, "exp", out var exp)
            || !TryStrings(root, "scp", out var scopes))
        {
            return TokenVerification.Fail(TokenCheck.MissingClaims, "The token lacks the claims of a grant token (jti, sub, agt, dev, scp, iat, exp).");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var skew = (long)options.ClockSkew.TotalSeconds;
        if (exp <= now - skew)
        {
            return TokenVerification.Fail(TokenCheck.Expired, "The token has expired.");
        }

        if (iat > now + skew + 1)
        {
            return TokenVerification.Fail(TokenCheck.NotYetValid, "The token was issued in the future.");
        }

        if (root.TryGetProperty("nbf", out _) && (!TryNumber(root, "nbf", out var nbf) || nbf > now + skew))
        {
            return TokenVerification.Fail(TokenCheck.NotYetValid, "The token is not valid yet.");
        }

        TryString(root, "aud", out var aud);
        if (options.Audience is not null && !string.Equals(aud, options.Audience, StringComparison.Ordinal))
        {
            return TokenVerification.Fail(TokenCheck.WrongAudience, "The token is not meant for this audience.");
        }

        var missing = options.RequiredScopes.Where(s => !scopes.Contains(s, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            return TokenVerification.Fail(TokenCheck.InsufficientScope, $"The token lacks the scopes: {string.Join(", ", missing)}.");
        }

        TryString(root, "grnt", out var grnt);
        TryString(root, "parentAgt", out var parentAgt);
        TryString(root, "parentGrnt", out var parentGrnt);
        int? depth = TryNumber(root, "delegationDepth", out var d) && d is >= 0 and <= int.MaxValue ? (int)d : null;
        TryStrings(root, "amr", out var amr);
        var identity = ReadIdentity(root, amr);
        if (identity.Level < options.MinimumIdentity)
        {
            return TokenVerification.Fail(TokenCheck.InsufficientIdentity,
                $"The person was identified with '{IdentityLevels.ToWire(identity.Level)}'; at least '{IdentityLevels.ToWire(options.MinimumIdentity)}' is required.");
        }

        TryString(root, "acr", out var acr);
        var grant = new VerifiedGrant
        {
            TokenId = jti!,
            GrantId = string.IsNullOrEmpty(grnt) ? jti! : grnt,
            PrincipalId = sub!,
            AgentDid = agt!,
            DeveloperId = dev!,
            Scopes = scopes,
            IssuedAt = DateTime.UnixEpoch.AddSeconds(iat),
            ExpiresAt = DateTime.UnixEpoch.AddSeconds(exp),
            Audience = aud,
            Issuer = issuer,
            ParentAgentDid = parentAgt,
            ParentGrantId = parentGrnt,
            DelegationDepth = depth,
            Presence = ReadPresence(root),
            AuthenticationMethods = amr,
            Identity = identity,
            AuthenticationContext = acr,
        };
        return new TokenVerification(TokenCheck.Valid, grant, "valid");
    }

    /// <summary>The <c>idv</c> claim; its method must agree with <c>acr</c> when both are present, else the token counts as unidentified.</summary>
    private static IdentityEvidence ReadIdentity(JsonElement root, IReadOnlyList<string> amr)
    {
        if (!root.TryGetProperty("idv", out var idv) || idv.ValueKind != JsonValueKind.Object
            || !TryString(idv, "m", out var method) || IdentityLevels.FromWire(method) is not { } level)
        {
            return IdentityEvidence.None;
        }

        if (TryString(root, "acr", out var acr) && acr != IdentityLevels.Acr(level))
        {
            return IdentityEvidence.None;
        }

        TryString(idv, "iss", out var issuer);
        TryString(idv, "sub", out var subject);
        long? at = TryNumber(idv, "at", out var seconds) ? seconds : null;
        return new IdentityEvidence(level, issuer, subject, at, amr);
    }

    private static PresenceEvidence? ReadPresence(JsonElement root)
    {
        if (!root.TryGetProperty("presence", out var p) || p.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return p.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.Number && at.TryGetInt64(out var atValue)
            && p.TryGetProperty("cred", out var cred) && cred.ValueKind == JsonValueKind.String
            ? new PresenceEvidence(atValue, cred.GetString()!, p.TryGetProperty("uv", out var uv) && uv.ValueKind == JsonValueKind.True,
                p.TryGetProperty("enr", out var enr) && enr.ValueKind == JsonValueKind.String ? enr.GetString() : null)
            : null;
    }

    private static bool TryString(JsonElement root, string name, out string? value)
    {
        value = root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return !string.IsNullOrEmpty(value);
    }

    /// <summary>A JSON number (as JavaScript verifiers accept it: fractions allowed), in whole seconds.</summary>
    private static bool TryNumber(JsonElement root, string name, out long value)
    {
        value = 0;
        if (!root.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (e.TryGetInt64(out value))
        {
            return true;
        }

        if (e.TryGetDouble(out var d) && double.IsFinite(d) && Math.Abs(d) < 1e15)
        {
            value = (long)Math.Floor(d);
            return true;
        }

        return false;
    }

    private static bool TryStrings(JsonElement root, string name, out IReadOnlyList<string> values)
    {
        values = [];
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var list = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            list.Add(item.GetString()!);
        }

        values = list;
        return true;
    }
}

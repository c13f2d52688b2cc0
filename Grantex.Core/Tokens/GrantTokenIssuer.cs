using System.Buffers;
using System.Text;
using System.Text.Json;
using Grantex.Core.Identity;
using Grantex.Core.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Tokens;

/// <summary>Signs grant tokens: RS256 under the current key, ASCII-only payload (wire format §4.1).</summary>
public sealed class GrantTokenIssuer(SigningKeyStore keys)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The key that signs now; a write command records its kid before the token is signed after commit.</summary>
    public RsaSecurityKey CurrentKey => keys.Current;

    public string Sign(GrantTokenClaims claims) => Sign(claims, keys.Current);

    public static string Sign(GrantTokenClaims claims, RsaSecurityKey key)
    {
        var credentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        return Handler.CreateToken(Payload(claims), credentials);
    }

    /// <summary>
    /// The payload as JSON with every non-ASCII character escaped, and '?', '~' and '>' escaped too, so that a
    /// client decoding it with plain base64 (atob) never meets a base64url-only character (wire format §4.1).
    /// </summary>
    internal static string Payload(GrantTokenClaims c)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("iss", c.Issuer);
            w.WriteString("sub", c.Subject);
            if (c.Audience is not null)
            {
                w.WriteString("aud", c.Audience);
            }

            w.WriteString("agt", c.AgentDid);
            w.WriteString("dev", c.DeveloperId);
            w.WriteStartArray("scp");
            foreach (var scope in c.Scopes)
            {
                w.WriteStringValue(scope);
            }

            w.WriteEndArray();
            w.WriteString("grnt", c.GrantId);
            w.WriteNumber("iat", c.IssuedAt);
            w.WriteNumber("exp", c.ExpiresAt);
            w.WriteString("jti", c.TokenId);
            if (c.ParentAgentDid is not null)
            {
                w.WriteString("parentAgt", c.ParentAgentDid);
            }

            if (c.ParentGrantId is not null)
            {
                w.WriteString("parentGrnt", c.ParentGrantId);
            }

            if (c.DelegationDepth is { } depth)
            {
                w.WriteNumber("delegationDepth", depth);
            }

            WriteIdentity(w, c);
            if (c.Presence is { } p)
            {
                w.WriteStartObject("presence");
                w.WriteNumber("at", p.VerifiedAt);
                w.WriteString("cred", p.CredentialHash);
                w.WriteBoolean("uv", p.UserVerified);
                if (p.Enrolment is not null)
                {
                    w.WriteString("enr", p.Enrolment);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        // The default encoder already escapes non-ASCII, '<', '>', '&', '+', '\''; these two can only occur in strings.
        return Encoding.ASCII.GetString(buffer.WrittenSpan).Replace("?", "\\u003F", StringComparison.Ordinal).Replace("~", "\\u007E", StringComparison.Ordinal);
    }

    /// <summary><c>acr</c>, <c>amr</c> (the identity's RFC 8176 values plus the presence proof's: <c>hwk</c>/<c>user</c> for an independently enrolled passkey, else <c>pop</c>) and <c>idv</c>.</summary>
    private static void WriteIdentity(Utf8JsonWriter w, GrantTokenClaims c)
    {
        var amr = new List<string>(c.Identity?.TokenAmr ?? []);
        if (c.Presence is { } presence)
        {
            amr.AddRange(presence.TokenAmr);
        }

        if (c.Identity is { } identity)
        {
            w.WriteString("acr", IdentityLevels.Acr(identity.Level));
        }

        if (amr.Count > 0)
        {
            w.WriteStartArray("amr");
            foreach (var value in amr.Distinct(StringComparer.Ordinal))
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
        }

        if (c.Identity is { } id)
        {
            w.WriteStartObject("idv");
            w.WriteString("m", IdentityLevels.ToWire(id.Level));
            if (id.Issuer is not null)
            {
                w.WriteString("iss", id.Issuer);
            }

            if (id.Subject is not null)
            {
                w.WriteString("sub", id.Subject);
            }

            if (id.At is { } at)
            {
                w.WriteNumber("at", at);
            }

            w.WriteEndObject();
        }
    }
}

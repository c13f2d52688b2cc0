using System.Buffers;
using System.Text;
using System.Text.Json;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Jose;
using Grantex.Core.Keys;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Principals;

/// <summary>
/// Principal session tokens (wire format §4.2, §7.7): a short-lived RS256 JWT that lets one person see and revoke their
/// own grants with one developer. A distinct token type: header <c>typ</c> <see cref="TokenType"/>, audience
/// <see cref="Audience"/>, <c>purpose</c> <c>principal_dashboard</c> and no <c>agt</c>/<c>scp</c> — so the grant-token
/// verifiers refuse it (typ and missing claims), the API-key and SCIM lookups cannot match it (hash stores), and this
/// verifier refuses every other token (typ, audience, purpose). A session of a principal who is deactivated later stops
/// working at its next use.
/// </summary>
public sealed class PrincipalSessionTokens(
    IDbContextFactory<GrantexDbContext> factory, WriteQueue writes, SigningKeyStore keys, TimeProvider time, IOptions<GrantexOptions> options)
{
    public const string TokenType = "gx-principal-session+jwt";
    public const string Purpose = "principal_dashboard";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>The <c>aud</c> of every session token: the end-user page of this server.</summary>
    public string Audience => options.Value.Issuer + "/permissions";

    /// <summary>
    /// <c>POST /v1/principal-sessions</c>: the principal needs an active, unexpired grant with this developer (404
    /// otherwise, as the reference) and must not be deactivated (403). The lifetime defaults to 1 h and is capped at 24 h.
    /// </summary>
    public async Task<Result<IssuedPrincipalSession>> IssueAsync(ApiKeyCaller caller, string? principalId, string? expiresIn, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(principalId))
        {
            return GxError.BadRequest("principalId is required", "principalId");
        }

        if (!Validate.Text(principalId, 256))
        {
            return GxError.BadRequest("principalId must be 1 to 256 characters.", "principalId");
        }

        var lifetime = DefaultLifetime;
        if (expiresIn is not null && (!Durations.TryParse(expiresIn, out lifetime) || lifetime <= TimeSpan.Zero))
        {
            return GxError.BadRequest("Invalid expiresIn format. Use e.g. \"15m\", \"1h\" (at most 24h).", "expiresIn");
        }

        lifetime = lifetime > MaxLifetime ? MaxLifetime : lifetime;
        var developerId = caller.Developer.Id;
        var now = time.UtcNowMillis();
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (await PrincipalBlocks.IsBlockedAsync(db, developerId, principalId, cancellationToken))
            {
                return PrincipalBlocks.Refusal(principalId);
            }

            if (!await db.Grants.AsNoTracking().AnyAsync(g => g.DeveloperId == developerId && g.PrincipalId == principalId && g.Status == GrantStatus.Active && g.ExpiresAt > now, cancellationToken))
            {
                return GxError.NotFound("No active grants found for this principal");
            }
        }

        var session = new PrincipalSession(developerId, principalId, Ids.New(Ids.PrincipalSession), now + lifetime);
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(developerId, PrincipalId: principalId),
            AuditActions.PrincipalSessionCreated, caller.Actor, AuditMetadata.With("sessionId", session.SessionId).And("expiresAt", TimeFormat.Iso(session.ExpiresAt)))), cancellationToken);
        return new IssuedPrincipalSession(Sign(session, now), session.ExpiresAt, session);
    }

    /// <summary>The session a token carries, or null: wrong type, audience, purpose, issuer, signature, expired, or the principal deactivated since.</summary>
    public async Task<PrincipalSession?> VerifyAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }

        var check = await CompactJws.VerifyAsync(token, keys.Published, TokenType, 4096);
        if (!check.Valid || check.Payload is null)
        {
            return null;
        }

        PrincipalSession session;
        try
        {
            using var payload = JsonDocument.Parse(check.Payload);
            var root = payload.RootElement;
            if (Str(root, "iss") != options.Value.Issuer || Str(root, "aud") != Audience || Str(root, "purpose") != Purpose
                || Str(root, "sub") is not { Length: > 0 } sub || Str(root, "dev") is not { Length: > 0 } dev || Str(root, "sid") is not { Length: > 0 } sid
                || !root.TryGetProperty("exp", out var expElement) || !expElement.TryGetInt64(out var exp))
            {
                return null;
            }

            session = new PrincipalSession(dev, sub, sid, DateTime.UnixEpoch.AddSeconds(exp));
        }
        catch (JsonException)
        {
            return null;
        }

        if (session.ExpiresAt <= time.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await PrincipalBlocks.IsBlockedAsync(db, session.DeveloperId, session.PrincipalId, cancellationToken) ? null : session;
    }

    private string Sign(PrincipalSession session, DateTime now)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("iss", options.Value.Issuer);
            w.WriteString("aud", Audience);
            w.WriteString("sub", session.PrincipalId);
            w.WriteString("dev", session.DeveloperId);
            w.WriteString("purpose", Purpose);
            w.WriteString("sid", session.SessionId);
            w.WriteNumber("iat", TimeFormat.ToUnixSeconds(now));
            w.WriteNumber("exp", TimeFormat.ToUnixSeconds(session.ExpiresAt));
            w.WriteEndObject();
        }

        return CompactJws.Sign(Encoding.ASCII.GetString(buffer.WrittenSpan), keys.Current, TokenType);
    }

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

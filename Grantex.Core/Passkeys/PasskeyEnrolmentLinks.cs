using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Passkeys;

/// <summary>
/// One-time enrolment links (README, "Proving who approved"): an administrator issues one in the console for one
/// principal of one developer; the person opens it and enrols a passkey that the developer had no hand in, recorded as
/// <see cref="PasskeyEnrolment.EnrolmentLink"/>. A link is short-lived (<c>Grantex:Passkeys:EnrolmentLinkLifetime</c>),
/// stored as a SHA-256 only, and used up by the first passkey stored through it (a conditional update in the single
/// writer, <see cref="PasskeyService.CompleteRegistrationAsync"/>). Issue, use and every refusal of a known link are audited.
/// </summary>
public sealed class PasskeyEnrolmentLinks(
    IDbContextFactory<GrantexDbContext> factory, WriteQueue writes, PasskeyService passkeys, TimeProvider time, IOptions<GrantexPasskeyOptions> options)
{
    /// <summary>The actor of enrolments made through a link: the person, not the developer or the administrator.</summary>
    public const string Actor = "enrolment-link";

    public static GxError Spent { get; } = GxError.Gone("This enrolment link was already used or has expired. Ask your administrator for a new one.");

    private static readonly GxError Unknown = GxError.NotFound("This enrolment link is not valid. Check that you opened the whole link, or ask your administrator for a new one.");

    /// <summary>Issues a link for <paramref name="principalId"/> of <paramref name="developerId"/>; the secret is in the answer only.</summary>
    public async Task<Result<IssuedEnrolmentLink>> IssueAsync(string developerId, string? principalId, string issuedBy, CancellationToken cancellationToken = default)
    {
        if (!Validate.Text(principalId, 256))
        {
            return GxError.BadRequest("principalId is required (1 to 256 characters).", "principalId");
        }

        var lifetime = options.Value.EnrolmentLinkLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(1))
        {
            lifetime = TimeSpan.FromMinutes(15);
        }

        var token = Secrets.Random(32);
        return await writes.ExecuteAsync<Result<IssuedEnrolmentLink>>(async ctx =>
        {
            if (!await ctx.Db.Developers.AnyAsync(d => d.Id == developerId, cancellationToken))
            {
                return GxError.NotFound("Developer not found.");
            }

            var link = new PasskeyEnrolmentLink
            {
                Id = Ids.New(Ids.PasskeyEnrolmentLink),
                DeveloperId = developerId,
                PrincipalId = principalId!,
                TokenHash = Secrets.Sha256Hex(token),
                IssuedBy = issuedBy.Length > 128 ? issuedBy[..128] : issuedBy,
                CreatedAt = ctx.Now,
                ExpiresAt = ctx.Now + lifetime,
            };
            ctx.Db.Set<PasskeyEnrolmentLink>().Add(link);
            await ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(developerId, PrincipalId: link.PrincipalId), AuditActions.PasskeyEnrolmentLinkIssued, issuedBy,
                AuditMetadata.With("linkId", link.Id).And("expiresAt", TimeFormat.Iso(link.ExpiresAt))));
            return new IssuedEnrolmentLink(link, token);
        }, cancellationToken);
    }

    /// <summary>The link behind <paramref name="token"/> while it can be used; a used or expired one is refused (410) and audited.</summary>
    public async Task<Result<OpenEnrolmentLink>> OpenAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return Unknown;
        }

        var hash = Secrets.Sha256Hex(token);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var link = await db.Set<PasskeyEnrolmentLink>().AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        if (link is null)
        {
            return Unknown;
        }

        if (link.UsedAt is not null || link.ExpiresAt <= time.UtcNowMillis())
        {
            await RefuseAsync(link, link.UsedAt is not null ? "already used" : "expired", cancellationToken);
            return Spent;
        }

        var developer = await db.Developers.AsNoTracking().FirstAsync(d => d.Id == link.DeveloperId, cancellationToken);
        return new OpenEnrolmentLink(link, DeveloperInfo.From(developer));
    }

    /// <summary>Registration options for the link's principal, bound to the link.</summary>
    public async Task<Result<PasskeyChallenge>> BeginAsync(string? token, HttpContext http, CancellationToken cancellationToken = default)
    {
        var open = await OpenAsync(token, cancellationToken);
        return open.IsSuccess
            ? await passkeys.BeginRegistrationAsync(open.Value.Developer, open.Value.Link.PrincipalId, PasskeyEnrolment.EnrolmentLink, binding: null, http, open.Value.Link.Id, cancellationToken)
            : open.Error;
    }

    /// <summary>Stores the passkey made with the link's options and uses the link up; a ceremony of another link or of the API is refused.</summary>
    public async Task<Result<PrincipalPasskey>> CompleteAsync(string? token, string? ceremonyId, string? credentialJson, HttpContext http, CancellationToken cancellationToken = default)
    {
        var open = await OpenAsync(token, cancellationToken);
        if (!open.IsSuccess)
        {
            return open.Error;
        }

        var link = open.Value.Link;
        var stored = await passkeys.CompleteRegistrationAsync(link.DeveloperId, ceremonyId, credentialJson, deviceName: null, binding: null, Actor, http, link.Id, cancellationToken);
        if (!stored.IsSuccess && stored.Error.Kind == GxErrorKind.Gone)
        {
            await RefuseAsync(link, "already used or expired when the passkey was stored", cancellationToken);
        }

        return stored;
    }

    /// <summary>A principal's links, newest first (for the console).</summary>
    public async Task<IReadOnlyList<PasskeyEnrolmentLink>> ListAsync(string developerId, string principalId, int max = 10, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PasskeyEnrolmentLink>().AsNoTracking()
            .Where(l => l.DeveloperId == developerId && l.PrincipalId == principalId)
            .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id)
            .Take(max).ToListAsync(cancellationToken);
    }

    private Task RefuseAsync(PasskeyEnrolmentLink link, string reason, CancellationToken cancellationToken) =>
        writes.AppendAsync(ctx => ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(link.DeveloperId, PrincipalId: link.PrincipalId),
            AuditActions.PasskeyEnrolmentLinkRefused, Actor, AuditMetadata.With("linkId", link.Id).And("reason", reason))), cancellationToken);
}

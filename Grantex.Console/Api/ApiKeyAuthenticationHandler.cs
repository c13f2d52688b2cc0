using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Api;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c> (wire format §1.2). The key is looked up by its SHA-256; a missing,
/// malformed, unknown or rotated-away key all get the same 401.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DeveloperService developers) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string DeveloperClaim = "gx:dev";
    private const string FailureKey = "gx.authFailure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        var match = Bearer().Match(header);
        if (!match.Success)
        {
            Context.Items[FailureKey] = "Missing or invalid Authorization header";
            return AuthenticateResult.Fail("malformed header");
        }

        var caller = await developers.AuthenticateAsync(match.Groups[1].Value, Context.RequestAborted);
        if (caller is null)
        {
            Context.Items[FailureKey] = "Invalid API key";
            return AuthenticateResult.Fail("invalid key");
        }

        Context.Items[typeof(ApiKeyCaller)] = caller;
        var identity = new ClaimsIdentity([new Claim(DeveloperClaim, caller.Developer.Id), new Claim("gx:key", caller.KeyId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var message = Context.Items[FailureKey] as string ?? "Missing or invalid Authorization header";
        return ApiError.WriteAsync(Context, new GxError(GxErrorKind.Unauthorized, ErrorCodes.Unauthorized, message));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiError.WriteAsync(Context, GxError.Forbidden(ErrorCodes.Forbidden, "This key may not call this endpoint."));

    [GeneratedRegex(@"^Bearer[ \t]+(\S+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();
}

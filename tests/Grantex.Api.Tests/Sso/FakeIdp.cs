using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Api.Tests.Sso;

/// <summary>
/// An identity provider under the test's control, on real Kestrel: discovery, keys, an authorize endpoint that signs
/// in <see cref="Email"/> at once, and a token endpoint (single-use codes, PKCE checked). Its ID tokens can be made
/// wrong on purpose — another issuer, audience or nonce — to show the app's OpenIdConnect handler refuses them.
/// (The browser tests use a real OpenIddict provider; this one exists to be able to lie.)
/// </summary>
internal sealed class FakeIdp : IAsyncDisposable
{
    public const string ClientId = "grantex-consent";
    public const string ClientSecret = "idp-client-secret";

    private readonly WebApplication _app;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Pending> _codes = new(StringComparer.Ordinal);

    private FakeIdp(WebApplication app, string issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    public string Issuer { get; }

    public string Subject { get; set; } = "idp-alice";

    public string? Email { get; set; } = "alice@example.com";

    public string[] Amr { get; set; } = ["pwd", "mfa"];

    public string? IssuerOverride { get; set; }

    public string? AudienceOverride { get; set; }

    public string? NonceOverride { get; set; }

    public static async Task<FakeIdp> StartAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var idp = new FakeIdp(app, $"http://localhost:{port}");
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = idp.Issuer,
            ["authorization_endpoint"] = idp.Issuer + "/authorize",
            ["token_endpoint"] = idp.Issuer + "/token",
            ["jwks_uri"] = idp.Issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var p = idp._rsa.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "k1", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
        });
        app.MapGet("/authorize", (HttpContext c) => idp.Authorize(c.Request.Query));
        app.MapPost("/token", async (HttpRequest request) => idp.Token(await request.ReadFormAsync()));
        await app.StartAsync();
        return idp;
    }

    /// <summary>Discovery as the provider's client sees it (used to warm the app's configuration cache).</summary>
    public HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false });

    private IResult Authorize(IQueryCollection q)
    {
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256")
        {
            return Results.BadRequest("unexpected authorization request");
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Pending(q["nonce"].ToString(), q["code_challenge"].ToString(), q["redirect_uri"].ToString(), Subject, Email, Amr);
        return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private IResult Token(IFormCollection form)
    {
        if (!_codes.TryRemove(form["code"].ToString(), out var pending) || form["client_secret"] != ClientSecret || form["redirect_uri"] != pending.RedirectUri)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var verifier = form["code_verifier"].ToString();
        if (Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != pending.Challenge)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE" }, statusCode: 400);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = IssuerOverride ?? Issuer,
            ["aud"] = AudienceOverride ?? ClientId,
            ["sub"] = pending.Subject,
            ["nonce"] = NonceOverride ?? pending.Nonce,
            ["iat"] = now,
            ["exp"] = now + 300,
            ["amr"] = pending.Amr,
        };
        if (pending.Email is not null)
        {
            claims["email"] = pending.Email;
        }

        var idToken = new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims),
            new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256));
        return Results.Json(new { access_token = "at-" + Guid.NewGuid(), token_type = "Bearer", expires_in = 300, id_token = idToken });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }

    private sealed record Pending(string Nonce, string Challenge, string RedirectUri, string Subject, string? Email, string[] Amr);
}

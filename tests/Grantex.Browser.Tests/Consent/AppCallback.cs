using Microsoft.AspNetCore.WebUtilities;

namespace Grantex.Browser.Tests.Consent;

/// <summary>Where the browser landed in the developer's app (a <see cref="LoopbackSite"/>): the redirect URI with its query.</summary>
internal sealed record AppCallback(Uri Url)
{
    public static string Origin => LoopbackSite.Shared.Origin;

    public static string RedirectUri => Origin + "/callback";

    public string? Code => Value("code");

    public string? State => Value("state");

    public string? Error => Value("error");

    private string? Value(string name) => QueryHelpers.ParseQuery(Url.Query).TryGetValue(name, out var v) ? v.ToString() : null;
}

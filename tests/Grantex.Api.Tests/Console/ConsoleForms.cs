using System.Net;
using System.Text.RegularExpressions;

namespace Grantex.Api.Tests.Console;

/// <summary>Posts the console's static sign-in forms the way a browser does (antiforgery token and form name included).</summary>
internal static partial class ConsoleForms
{
    public static async Task<HttpResponseMessage> SignInWithPasswordAsync(HttpClient client, string userName, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/account/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = token,
            ["PasswordInput.UserName"] = userName,
            ["PasswordInput.Password"] = password,
        });
        return await client.PostAsync("/account/login", form);
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);
    }

    /// <summary>The path and query of a redirect, whether the server sent it absolute or relative.</summary>
    public static string? PathOf(Uri? location) => location is null ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

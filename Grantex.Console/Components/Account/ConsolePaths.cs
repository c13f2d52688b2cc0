namespace Grantex.Console.Components.Account;

/// <summary>The console's URL space (pages, sign-in, the Blazor circuit) as opposed to the API and the consent page.</summary>
public static class ConsolePaths
{
    public const string Login = "/account/login";
    public const string Logout = "/account/logout";
    public const string Setup = "/account/setup";
    public const string Denied = "/account/denied";
    public const string Security = "/account/security";

    private static readonly string[] Prefixes = ["/grants", "/agents", "/developers", "/audit", "/keys", "/users", "/account", "/_blazor"];

    public static bool IsConsole(PathString path) =>
        path == "/" || path == PathString.Empty || Prefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>A return URL that stays on this server (a path, not "//host" or a scheme), else "/".</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : "/";
}

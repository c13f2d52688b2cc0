using System.Globalization;
using System.Text.RegularExpressions;

namespace Grantex.Core.Scopes;

/// <summary>
/// Plain-English descriptions of scopes for the consent screen and the console: the protocol's standard scopes,
/// the payment scopes (with <c>payments:initiate:max_N</c> rendered as a limit), and the bare scopes existing
/// clients use. Anything else is shown verbatim and marked as not described.
/// </summary>
public static partial class ScopeRegistry
{
    private static readonly Dictionary<string, ScopeDescription> Known = new(StringComparer.Ordinal)
    {
        ["calendar:read"] = new("calendar:read", "See your calendar events", "Calendar", ScopeRisk.Low, true),
        ["calendar:write"] = new("calendar:write", "Create, change and delete events in your calendar", "Calendar", ScopeRisk.Medium, true),
        ["email:read"] = new("email:read", "Read your email", "Email", ScopeRisk.Medium, true),
        ["email:send"] = new("email:send", "Send email as you", "Email", ScopeRisk.High, true),
        ["email:delete"] = new("email:delete", "Delete your email", "Email", ScopeRisk.High, true),
        ["files:read"] = new("files:read", "Open and read your files", "Files", ScopeRisk.Medium, true),
        ["files:write"] = new("files:write", "Create and change your files", "Files", ScopeRisk.High, true),
        ["files:delete"] = new("files:delete", "Delete your files", "Files", ScopeRisk.High, true),
        ["contacts:read"] = new("contacts:read", "See your contacts", "Contacts", ScopeRisk.Low, true),
        ["contacts:write"] = new("contacts:write", "Add and change your contacts", "Contacts", ScopeRisk.Medium, true),
        ["profile:read"] = new("profile:read", "See your basic profile (name, email address)", "Profile", ScopeRisk.Low, true),
        ["payments:read"] = new("payments:read", "See your payment history", "Payments", ScopeRisk.Medium, true),
        ["payments:initiate"] = new("payments:initiate", "Make payments on your behalf, with no amount limit", "Payments", ScopeRisk.High, true),
        ["payments:write"] = new("payments:write", "Create and change payments on your behalf", "Payments", ScopeRisk.High, true),
        ["payments:refund"] = new("payments:refund", "Refund payments on your behalf", "Payments", ScopeRisk.High, true),
        ["messages:read"] = new("messages:read", "Read your messages", "Messages", ScopeRisk.Medium, true),
        ["messages:send"] = new("messages:send", "Send messages as you", "Messages", ScopeRisk.High, true),
        ["tasks:read"] = new("tasks:read", "See your tasks", "Tasks", ScopeRisk.Low, true),
        ["tasks:write"] = new("tasks:write", "Create, change and complete your tasks", "Tasks", ScopeRisk.Medium, true),
        ["documents:read"] = new("documents:read", "Open and read your documents", "Documents", ScopeRisk.Medium, true),
        ["documents:write"] = new("documents:write", "Create and change your documents", "Documents", ScopeRisk.High, true),
        ["openid"] = new("openid", "Confirm who you are to the app", "Profile", ScopeRisk.Low, true),
        ["profile"] = new("profile", "See your basic profile (name, picture)", "Profile", ScopeRisk.Low, true),
        ["email"] = new("email", "See your email address", "Profile", ScopeRisk.Low, true),
        ["offline_access"] = new("offline_access", "Keep access while you are not using the app (until the grant ends)", "General", ScopeRisk.Medium, true),
        ["read"] = new("read", "Read your data in this app", "General", ScopeRisk.Low, true),
        ["write"] = new("write", "Create and change your data in this app", "General", ScopeRisk.Medium, true),
        ["admin"] = new("admin", "Full administrative control of your account in this app", "General", ScopeRisk.High, true),
    };

    /// <summary>What the consent page and the My grants page say next to a scope nobody described.</summary>
    public const string UndescribedNote = "The app did not say what this allows. Ask the app before you agree.";

    /// <summary>Describes one scope; never fails.</summary>
    public static ScopeDescription Describe(string scope)
    {
        if (Known.TryGetValue(scope, out var known))
        {
            return known;
        }

        var max = PaymentLimit().Match(scope);
        if (max.Success && long.TryParse(max.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"Make payments on your behalf, up to {amount:N0} per payment");
            return new ScopeDescription(scope, text, "Payments", ScopeRisk.High, true);
        }

        var category = scope.Contains(':', StringComparison.Ordinal) ? Capitalize(scope[..scope.IndexOf(':', StringComparison.Ordinal)]) : "Other";
        var risk = HighRiskVerb().IsMatch(scope) ? ScopeRisk.High : ScopeRisk.Medium;
        return new ScopeDescription(scope, scope, category, risk, false);
    }

    public static IReadOnlyList<ScopeDescription> DescribeAll(IEnumerable<string> scopes) => [.. scopes.Select(Describe)];

    /// <summary>
    /// Groups described scopes by category for the consent screen: groups holding a high-risk scope first, then the
    /// rest, each in the order the scopes were requested; within a group, high-risk scopes lead.
    /// </summary>
    public static IReadOnlyList<ScopeGroup> Group(IEnumerable<ScopeDescription> scopes) =>
    [
        .. scopes
            .GroupBy(s => s.Category, StringComparer.Ordinal)
            .Select(g => new ScopeGroup(g.Key, [.. g.OrderByDescending(s => s.IsHighRisk)]))
            .OrderByDescending(g => g.HasHighRisk),
    ];

    private static string Capitalize(string s) => s.Length == 0 ? "Other" : char.ToUpperInvariant(s[0]) + s[1..];

    [GeneratedRegex(@"^payments:initiate:max_([0-9]{1,15})\z", RegexOptions.CultureInvariant)]
    private static partial Regex PaymentLimit();

    // Unknown scopes that say they pay, send, delete or write are flagged as high risk all the same.
    [GeneratedRegex("(^|:)(pay|payments?|send|delete|write|transfer|admin)(:|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HighRiskVerb();
}

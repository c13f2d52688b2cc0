using System.Globalization;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Principals;
using Grantex.Core.Text;
using Microsoft.AspNetCore.Components;

namespace Grantex.Console.Components.Permissions;

/// <summary>
/// <c>GET /permissions</c> — "My grants": the person sees every agent that can act for them with one developer, in
/// plain words (what it may do, since and until when, which sub-agents it passed access to, what it did recently), and
/// revokes one or all. Static server rendering like the consent page; the session comes from
/// <see cref="PermissionsCookie"/>; without one the page explains how to open it (and its script trades a link's
/// <c>#session=</c> fragment for the cookie). State changes only through the POST forms (<see cref="PermissionsEndpoints"/>).
/// </summary>
public partial class PermissionsPage
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "revoked")]
    public int? Revoked { get; set; }

    [SupplyParameterFromQuery(Name = "all")]
    public int? AllFlag { get; set; }

    [SupplyParameterFromQuery(Name = "link")]
    public string? Link { get; set; }

    [SupplyParameterFromQuery(Name = "signedOut")]
    public int? SignedOut { get; set; }

    /// <summary>Which page of cards (1-based); out-of-range values show the nearest page.</summary>
    [SupplyParameterFromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    /// <summary>Cards (root grants, each with what it delegated) per page: a person with a thousand grants gets a page that loads quickly on a phone, not a megabyte of cards.</summary>
    internal const int PageSize = 20;

    [Inject]
    private PrincipalSessionTokens Sessions { get; set; } = default!;

    [Inject]
    private PrincipalPortal Portal { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private PrincipalSession? Session { get; set; }

    private PrincipalOverview? Overview { get; set; }

    /// <summary>The root grants shown on this page, one card each.</summary>
    private List<PrincipalGrant> Shown { get; set; } = [];

    private int Page => Overview?.Page ?? 1;

    private int PageCount => Overview?.PageCount ?? 1;

    private ILookup<string, PrincipalGrant> Children { get; set; } = Array.Empty<PrincipalGrant>().ToLookup(g => g.Grant.Id);

    private ILookup<string, AuditEntry> ActivityByGrant { get; set; } = Array.Empty<AuditEntry>().ToLookup(e => e.GrantId);

    private DateTime Now { get; set; }

    private bool All => AllFlag == 1;

    private string DeveloperName => DisplayText.ForName(Overview?.DeveloperName).Text;

    private string PrincipalName => DisplayText.ForName(Session?.PrincipalId, 256).Text;

    private string SignedOutText => Link == "expired"
        ? "This link has expired or is no longer valid. Ask the app you use for a new link to see and manage your permissions."
        : SignedOut == 1
            ? "You are signed out of this page. Open the link from the app again to come back."
            : "Open this page with the link from the app you use: it signs you in here for a short time, so you can see which agents can act for you and take that access back.";

    protected override async Task OnInitializedAsync()
    {
        Now = Time.UtcNowMillis();
        Session = await PermissionsCookie.ReadAsync(HttpContext, Sessions);
        if (Session is null)
        {
            if (HttpContext.Request.Cookies.ContainsKey(PermissionsCookie.Name))
            {
                PermissionsCookie.Clear(HttpContext);
                Link ??= "expired";
            }

            return;
        }

        Overview = await Portal.OverviewAsync(Session, PageNumber ?? 1, PageSize, activity: 50, HttpContext.RequestAborted);
        Shown = [.. Overview.Roots];
        Children = Overview.ChildrenByParent;
        ActivityByGrant = Overview.ActivityByGrant;
    }

    private static string AgentName(PrincipalGrant grant) =>
        grant.AgentName is null ? "An agent that no longer exists" : DisplayText.ForName(grant.AgentName).Text;

    /// <summary>Every active grant delegated below <paramref name="grantId"/>, at any depth.</summary>
    private List<PrincipalGrant> Descendants(string grantId)
    {
        var result = new List<PrincipalGrant>();
        var stack = new Stack<string>([grantId]);
        while (stack.Count > 0)
        {
            foreach (var child in Children[stack.Pop()])
            {
                result.Add(child);
                stack.Push(child.Grant.Id);
            }
        }

        return result;
    }

    /// <summary>The latest few entries about this grant or what it delegated, newest first.</summary>
    private List<AuditEntry> Activity(string grantId, List<PrincipalGrant> tree) =>
        [.. ActivityByGrant[grantId].Concat(tree.SelectMany(c => ActivityByGrant[c.Grant.Id])).OrderByDescending(e => e.Sequence).Take(5)];

    private static string PageLink(int page) => page == 1 ? PermissionsCookie.Path : string.Create(CultureInfo.InvariantCulture, $"{PermissionsCookie.Path}?page={page}");

    private string ShowingText => string.Create(CultureInfo.InvariantCulture,
        $"Showing {(Page - 1) * PageSize + 1:N0}–{(Page - 1) * PageSize + Shown.Count:N0} of {Overview!.RootCount:N0}, newest first.");

    private static string Iso(DateTime utc) => TimeFormat.Iso(utc);

    private static string Plural(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");
}

using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Text;
using Microsoft.AspNetCore.Components;

namespace Grantex.Console.Components.Consent;

public partial class ConsentRequestCard
{
    [Parameter, EditorRequired]
    public ConsentView View { get; set; } = default!;

    /// <summary>The time the page is rendered (the grant's end is counted from it).</summary>
    [Parameter, EditorRequired]
    public DateTime Now { get; set; }

    /// <summary>Whether the principal already has a passkey (else the page registers one first).</summary>
    [Parameter]
    public bool HasPasskey { get; set; }

    private DisplayText AgentName { get; set; } = default!;

    private DisplayText? Description { get; set; }

    private DisplayText DeveloperName { get; set; } = default!;

    private DisplayText Principal { get; set; } = default!;

    /// <summary>An OAuth client's request that named no one (no <c>login_hint</c>): the principal is a placeholder, not a person.</summary>
    private bool UnnamedOAuthPrincipal => View.Request.PrincipalId == Core.OAuth.OAuthAuthorizationService.AnonymousPrincipal(View.Agent.Id);

    private string LifetimeWords { get; set; } = "";

    private string GrantEndsText { get; set; } = "";

    private string GrantEndsIso { get; set; } = "";

    private string? RedirectHost { get; set; }

    private bool RedirectUnencrypted { get; set; }

    protected override void OnParametersSet()
    {
        AgentName = DisplayText.ForName(View.Agent.Name);
        Description = string.IsNullOrWhiteSpace(View.Agent.Description) ? null : DisplayText.ForParagraph(View.Agent.Description);
        DeveloperName = DisplayText.ForName(View.Developer.Name);
        Principal = DisplayText.ForName(View.Request.PrincipalId);
        var lifetime = TimeSpan.FromSeconds(View.Request.GrantLifetimeSeconds);
        var ends = Now + lifetime;
        LifetimeWords = DurationText.ToWords(lifetime);
        GrantEndsText = DurationText.ToDate(ends);
        GrantEndsIso = TimeFormat.Iso(ends);
        if (View.Request.RedirectUri is { } redirect && Uri.TryCreate(redirect, UriKind.Absolute, out var uri))
        {
            // The punycode form of an international host: a look-alike domain cannot pass as the real one.
            RedirectHost = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
            RedirectUnencrypted = uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback;
        }
        else
        {
            RedirectHost = null;
            RedirectUnencrypted = false;
        }
    }
}

using Grantex.Console.Api;
using Grantex.Console.Components.Consent.Sso;
using Grantex.Console.Infrastructure;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Identity;
using Grantex.Core.Passkeys;
using Grantex.Core.Sso;
using Grantex.Core.Text;
using Microsoft.AspNetCore.Components;

namespace Grantex.Console.Components.Consent;

/// <summary>
/// <c>GET /consent?req=…</c>: the consent page (static server rendering, no circuit). GET shows the request and starts
/// the consent session (the only state it sets); the form's POST re-checks everything — session, antiforgery, the
/// request still pending, and the passkey assertion when presence is required — and the decision is taken exactly
/// once through <see cref="ConsentFlow"/>, the sequence the consent JSON endpoints share. Then an HTTP redirect to
/// the registered redirect URI, or a page saying the window can be closed.
/// </summary>
public partial class ConsentPage
{
    public const string FormName = "consent-decision";

    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "req")]
    public string? RequestId { get; set; }

    /// <summary>How an identity-provider sign-in came back when it did not complete: failed or unavailable.</summary>
    [SupplyParameterFromQuery(Name = "sso")]
    public string? SsoStatus { get; set; }

    [SupplyParameterFromForm(FormName = FormName)]
    public ConsentDecisionInput? Input { get; set; }

    [Inject]
    private ConsentService Consent { get; set; } = default!;

    [Inject]
    private ConsentSession Session { get; set; } = default!;

    [Inject]
    private ConsentFlow Flow { get; set; } = default!;

    [Inject]
    private PasskeyService Passkeys { get; set; } = default!;

    [Inject]
    private ConsentSsoCookie SsoCookie { get; set; } = default!;

    [Inject]
    private SsoService Sso { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private ConsentPageState State { get; set; }

    private ConsentView? View { get; set; }

    private DateTime Now { get; set; }

    private bool HasPasskey { get; set; }

    private string? Problem { get; set; }

    /// <summary>This browser's identity-provider sign-in for the request, when it has one.</summary>
    private ConsentSsoSignIn? SsoSignIn { get; set; }

    /// <summary>Whether the developer has an identity provider this principal can sign in at (to enrol a passkey under <c>passkey</c>).</summary>
    private bool SsoAvailable { get; set; }

    /// <summary>
    /// Allow and Deny are offered when the developer requires no sign-in, or the person signed in as the principal
    /// (<c>sso</c>; under <c>passkey</c> that lets them enrol), or — under <c>passkey</c> — the principal has a passkey
    /// enrolled through a path the developer does not control.
    /// </summary>
    private bool CanDecide => View is not null && View.Developer.PrincipalAuthentication switch
    {
        IdentityLevel.None => true,
        IdentityLevel.Passkey => HasPasskey || SsoSignIn is { Refusal: null },
        _ => SsoSignIn is { Refusal: null },
    };

    private string SsoStartUrl => "/consent/sso?req=" + Uri.EscapeDataString(RequestId ?? "");

    private string? AgentName => View is null ? null : DisplayText.ForName(View.Agent.Name).Text;

    private string Title => State == ConsentPageState.Pending && AgentName is not null ? $"Allow {AgentName}? · Grantex" : "Authorization request · Grantex";

    protected override async Task OnInitializedAsync()
    {
        Input ??= new ConsentDecisionInput();
        Now = Time.UtcNowMillis();
        await LoadAsync();
        if (State == ConsentPageState.Pending && HttpMethods.IsGet(HttpContext.Request.Method))
        {
            Session.Start(HttpContext, RequestId!, View!.Request.ExpiresAt - Now);
        }
    }

    private async Task LoadAsync()
    {
        if (string.IsNullOrWhiteSpace(RequestId) || RequestId.Length > 64)
        {
            SetState(ConsentPageState.MissingRequest, null);
            return;
        }

        var lookup = await Consent.LookupForConsentAsync(RequestId);
        SetState(lookup.State switch
        {
            ConsentLookupState.Pending => ConsentPageState.Pending,
            ConsentLookupState.Expired => ConsentPageState.Expired,
            ConsentLookupState.Approved => ConsentPageState.AlreadyApproved,
            ConsentLookupState.Denied => ConsentPageState.AlreadyDenied,
            _ => ConsentPageState.NotFound,
        }, lookup.View);
        var level = View?.Developer.PrincipalAuthentication ?? IdentityLevel.None;
        HasPasskey = View is { PresenceRequired: true }
            && await Passkeys.HasPasskeyAsync(View.Request.DeveloperId, View.Request.PrincipalId, independentOnly: level != IdentityLevel.None);
        SsoSignIn = View is not null && level != IdentityLevel.None ? SsoCookie.Read(HttpContext, View.Request.Id) : null;
        SsoAvailable = State == ConsentPageState.Pending && level == IdentityLevel.Passkey && !HasPasskey && SsoSignIn is null
            && await Sso.ForPrincipalAsync(View!.Request.DeveloperId, View.Request.PrincipalId) is not null;
        if (State == ConsentPageState.Pending && SsoSignIn is { Refusal: not null })
        {
            HttpContext.Items[ConsentPageHeaders.StatusItem] = StatusCodes.Status403Forbidden;
        }
    }

    private async Task DecideAsync()
    {
        // Only a pending request can be decided; anything else (a late double click, an expired request) shows its page.
        if (State != ConsentPageState.Pending || View is null)
        {
            return;
        }

        var requestId = View.Request.Id;
        var sessionId = await Flow.RequireSessionAsync(HttpContext, requestId, AuditActions.ConsentDecisionRefused);
        if (!sessionId.IsSuccess)
        {
            SetState(ConsentPageState.SessionRequired, View);
            return;
        }

        bool? approve = Input?.Decision switch
        {
            ConsentDecisionInput.Allow => true,
            ConsentDecisionInput.Deny => false,
            _ => null,
        };
        if (approve is null)
        {
            ShowProblem(StatusCodes.Status400BadRequest, "Choose Allow or Deny.");
            return;
        }

        ConsentAssertion? assertion = null;
        if (!string.IsNullOrEmpty(Input!.PasskeyChallengeId) && ((approve.Value && View.PresenceRequired) || View.PasskeyIdentifies))
        {
            assertion = new ConsentAssertion(Input.PasskeyChallengeId, Input.PasskeyResponse);
        }
        else if (approve.Value && View.PresenceRequired && !View.PasskeyIdentifies)
        {
            ShowProblem(StatusCodes.Status403Forbidden, "Confirm with your passkey first: select Allow and follow your device's prompt. This needs JavaScript turned on.");
            return;
        }

        // Under principalAuthentication passkey an answer without an assertion goes on to be refused (and audited) in Core.
        var decision = await Flow.DecideAsync(HttpContext, requestId, sessionId.Value, approve.Value, assertion);
        if (!decision.IsSuccess)
        {
            if (decision.Error.Fields.Contains(ConsentFlow.AssertionField))
            {
                ShowProblem(StatusCodes.Status400BadRequest, decision.Error.Message + " Nothing was decided; try again.");
                return;
            }

            await LoadAsync();
            if (State == ConsentPageState.Pending)
            {
                ShowProblem(ApiError.StatusFor(decision.Error.Kind), decision.Error.Message);
            }

            return;
        }

        if (decision.Value.RedirectLocation is { } location)
        {
            HttpContext.Items.Remove(ConsentPageHeaders.StatusItem);
            Navigation.NavigateTo(location);
            return;
        }

        SetState(approve.Value ? ConsentPageState.Approved : ConsentPageState.Denied, View);
    }

    private void SetState(ConsentPageState state, ConsentView? view)
    {
        State = state;
        View = view;
        HttpContext.Items[ConsentPageHeaders.StatusItem] = state switch
        {
            ConsentPageState.MissingRequest => StatusCodes.Status400BadRequest,
            ConsentPageState.NotFound => StatusCodes.Status404NotFound,
            ConsentPageState.Expired or ConsentPageState.AlreadyApproved or ConsentPageState.AlreadyDenied => StatusCodes.Status410Gone,
            ConsentPageState.SessionRequired => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status200OK,
        };

        // The redirect after the form's POST must be allowed by the page's form-action (see ConsentPageHeaders).
        HttpContext.Items[ConsentPageHeaders.RedirectUriItem] = view?.Request.RedirectUri;
    }

    private void ShowProblem(int status, string message)
    {
        Problem = message;
        HttpContext.Items[ConsentPageHeaders.StatusItem] = status;
    }
}

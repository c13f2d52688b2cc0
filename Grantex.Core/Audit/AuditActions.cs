using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Grantex.Core.Audit;

/// <summary>
/// The catalogue of every action the server writes to the audit chain (like Duende IdentityServer's event ids): writers
/// take their action from here, the console reads labels, icons and colours from here, and no action name is written
/// as a literal anywhere else. Names are part of the wire format and the hash chain: never rename one.
/// </summary>
public static class AuditActions
{
    // Grants
    public static readonly AuditAction GrantCreated = new("grant.created", AuditCategory.Grant, "Grant created", AuditOutcome.Success);
    public static readonly AuditAction GrantDelegated = new("grant.delegated", AuditCategory.Grant, "Grant delegated to a sub-agent", AuditOutcome.Success);
    public static readonly AuditAction GrantRevoked = new("grant.revoked", AuditCategory.Grant, "Grant revoked", AuditOutcome.Revocation);

    // Tokens and codes
    public static readonly AuditAction TokenRefreshed = new("token.refreshed", AuditCategory.Token, "Token refreshed", AuditOutcome.Success);
    public static readonly AuditAction TokenRevoked = new("token.revoked", AuditCategory.Token, "Token revoked", AuditOutcome.Revocation);
    public static readonly AuditAction TokenExchangeRefused = new("token.exchange_refused", AuditCategory.Token, "Code exchange refused", AuditOutcome.Refusal);
    public static readonly AuditAction TokenPkceFailed = new("token.pkce_failed", AuditCategory.Token, "Code exchange refused: PKCE verifier mismatch", AuditOutcome.Refusal);
    public static readonly AuditAction TokenPkceDowngradeRefused = new("token.pkce_downgrade_refused", AuditCategory.Token, "Code exchange refused: verifier sent for a code without PKCE", AuditOutcome.Refusal);
    public static readonly AuditAction CodeReplayed = new("code.replayed", AuditCategory.Token, "Authorization code used twice", AuditOutcome.Refusal);
    public static readonly AuditAction RefreshReused = new("refresh.reused", AuditCategory.Token, "Refresh token used twice", AuditOutcome.Refusal);

    // Authorization and consent
    public static readonly AuditAction ConsentApproved = new("consent.approved", AuditCategory.Consent, "Consent approved", AuditOutcome.Success);
    public static readonly AuditAction ConsentDenied = new("consent.denied", AuditCategory.Consent, "Consent denied", AuditOutcome.Revocation);
    public static readonly AuditAction ConsentApproveRefused = new("consent.approve_refused", AuditCategory.Consent, "Approval refused: no consent session", AuditOutcome.Refusal);
    public static readonly AuditAction ConsentDenyRefused = new("consent.deny_refused", AuditCategory.Consent, "Denial refused: no consent session", AuditOutcome.Refusal);
    public static readonly AuditAction ConsentDecisionRefused = new("consent.decision_refused", AuditCategory.Consent, "Consent decision refused: no consent session", AuditOutcome.Refusal);
    public static readonly AuditAction ConsentPasskeyRefused = new("consent.passkey_refused", AuditCategory.Consent, "Passkey step refused: no consent session", AuditOutcome.Refusal);
    public static readonly AuditAction ConsentPresenceRefused = new("consent.presence_refused", AuditCategory.Consent, "Passkey confirmation refused", AuditOutcome.Refusal);
    public static readonly AuditAction ConsentIdentityRefused = new("consent.identity_refused", AuditCategory.Consent, "Consent refused: the person was not identified as the principal", AuditOutcome.Refusal);
    public static readonly AuditAction ConsentSsoSignedIn = new("consent.sso_signed_in", AuditCategory.Consent, "Signed in at the identity provider for a consent", AuditOutcome.Success);
    public static readonly AuditAction SsoSignInRefused = new("sso.sign_in_refused", AuditCategory.Consent, "Identity provider sign-in refused", AuditOutcome.Refusal);
    public static readonly AuditAction AuthorizeRedirectRefused = new("authorize.redirect_refused", AuditCategory.Consent, "Authorization refused: redirect URI not registered", AuditOutcome.Refusal);

    // Policies
    public static readonly AuditAction PolicyCreated = new("policy.created", AuditCategory.Policy, "Policy created", AuditOutcome.Success);
    public static readonly AuditAction PolicyUpdated = new("policy.updated", AuditCategory.Policy, "Policy changed", AuditOutcome.Change);
    public static readonly AuditAction PolicyDeleted = new("policy.deleted", AuditCategory.Policy, "Policy deleted", AuditOutcome.Change);
    public static readonly AuditAction PolicyDenied = new("policy.denied", AuditCategory.Policy, "Request denied by a policy", AuditOutcome.Refusal);

    // Webhooks
    public static readonly AuditAction WebhookCreated = new("webhook.created", AuditCategory.Webhook, "Webhook created", AuditOutcome.Success);
    public static readonly AuditAction WebhookDeleted = new("webhook.deleted", AuditCategory.Webhook, "Webhook deleted", AuditOutcome.Change);
    public static readonly AuditAction WebhookSecretRotated = new("webhook.secret_rotated", AuditCategory.Webhook, "Webhook secret rotated", AuditOutcome.Change);
    public static readonly AuditAction WebhookRedelivered = new("webhook.redelivered", AuditCategory.Webhook, "Webhook delivery sent again", AuditOutcome.Change);
    public static readonly AuditAction WebhookTestSent = new("webhook.test_sent", AuditCategory.Webhook, "Webhook test event sent", AuditOutcome.Success);
    public static readonly AuditAction WebhookUrlRefused = new("webhook.url_refused", AuditCategory.Webhook, "Webhook refused: URL reaches a non-public address", AuditOutcome.Refusal);
    // Anomalies (the detector acts as AnomalyRules.DetectorActor; its entries never feed the audit-based rules)
    public static readonly AuditAction AnomalyDetected = new("anomaly.detected", AuditCategory.Anomaly, "Anomaly detected", AuditOutcome.Success);
    public static readonly AuditAction AnomalyAcknowledged = new("anomaly.acknowledged", AuditCategory.Anomaly, "Anomaly acknowledged", AuditOutcome.Change);
    public static readonly AuditAction AnomalyAutoRevoked = new("anomaly.auto_revoked", AuditCategory.Anomaly, "Agent's grants revoked automatically after an anomaly", AuditOutcome.Revocation);
    // Principals: SCIM provisioning, blocks, principal sessions and the "My grants" page
    public static readonly AuditAction ScimTokenCreated = new("scim.token_created", AuditCategory.Principal, "SCIM token created", AuditOutcome.Success);
    public static readonly AuditAction ScimTokenRevoked = new("scim.token_revoked", AuditCategory.Principal, "SCIM token revoked", AuditOutcome.Revocation);
    public static readonly AuditAction ScimUserCreated = new("scim.user_created", AuditCategory.Principal, "Principal provisioned over SCIM", AuditOutcome.Success);
    public static readonly AuditAction ScimUserUpdated = new("scim.user_updated", AuditCategory.Principal, "Principal changed over SCIM", AuditOutcome.Change);
    public static readonly AuditAction ScimUserDeactivated = new("scim.user_deactivated", AuditCategory.Principal, "Principal deactivated over SCIM", AuditOutcome.Revocation);
    public static readonly AuditAction ScimUserReactivated = new("scim.user_reactivated", AuditCategory.Principal, "Principal reactivated over SCIM", AuditOutcome.Change);
    public static readonly AuditAction ScimUserDeleted = new("scim.user_deleted", AuditCategory.Principal, "Principal deleted over SCIM", AuditOutcome.Revocation);
    public static readonly AuditAction PrincipalBlocked = new("principal.blocked", AuditCategory.Principal, "Refused: the principal is deactivated", AuditOutcome.Refusal);
    public static readonly AuditAction PrincipalSessionCreated = new("principal.session_created", AuditCategory.Principal, "Principal session link created", AuditOutcome.Success);
    public static readonly AuditAction PrincipalGrantsRevoked = new("principal.grants_revoked", AuditCategory.Principal, "Principal revoked all their grants", AuditOutcome.Revocation);

    // Agents
    public static readonly AuditAction AgentCreated = new("agent.created", AuditCategory.Agent, "Agent registered", AuditOutcome.Success);
    public static readonly AuditAction AgentUpdated = new("agent.updated", AuditCategory.Agent, "Agent updated", AuditOutcome.Change);
    public static readonly AuditAction AgentActive = new("agent.active", AuditCategory.Agent, "Agent reactivated", AuditOutcome.Change);
    public static readonly AuditAction AgentSuspended = new("agent.suspended", AuditCategory.Agent, "Agent suspended", AuditOutcome.Revocation);
    public static readonly AuditAction AgentDeleted = new("agent.deleted", AuditCategory.Agent, "Agent deleted", AuditOutcome.Revocation);

    // The standard OAuth 2.1 front (clients are agents)
    public static readonly AuditAction OAuthClientRegistered = new("oauth.client_registered", AuditCategory.Agent, "OAuth client registered", AuditOutcome.Success);
    public static readonly AuditAction OAuthRegistrationRefused = new("oauth.registration_refused", AuditCategory.Agent, "OAuth client registration refused", AuditOutcome.Refusal);
    public static readonly AuditAction OAuthRegistrationTokenCreated = new("oauth.registration_token_created", AuditCategory.Developer, "OAuth registration token created", AuditOutcome.Success);
    public static readonly AuditAction OAuthResourcesChanged = new("oauth.resources_changed", AuditCategory.Developer, "OAuth resources changed", AuditOutcome.Change);
    public static readonly AuditAction OAuthAuthorizeRefused = new("oauth.authorize_refused", AuditCategory.Consent, "OAuth authorization refused", AuditOutcome.Refusal);
    public static readonly AuditAction OAuthTokenRefused = new("oauth.token_refused", AuditCategory.Token, "OAuth token request refused", AuditOutcome.Refusal);

    // Developers and API keys
    public static readonly AuditAction DeveloperCreated = new("developer.created", AuditCategory.Developer, "Developer created", AuditOutcome.Success);
    public static readonly AuditAction DeveloperSettingsChanged = new("developer.settings_changed", AuditCategory.Developer, "Developer settings changed", AuditOutcome.Change);
    public static readonly AuditAction ApiKeyRotated = new("api_key.rotated", AuditCategory.Developer, "API key rotated", AuditOutcome.Change);
    public static readonly AuditAction ApiKeyRotationRefused = new("api_key.rotation_refused", AuditCategory.Developer, "API key rotation refused: key already rotated", AuditOutcome.Refusal);

    // Identity providers (SSO connections)
    public static readonly AuditAction SsoConnectionCreated = new("sso.connection_created", AuditCategory.Developer, "SSO connection created", AuditOutcome.Success);
    public static readonly AuditAction SsoConnectionUpdated = new("sso.connection_updated", AuditCategory.Developer, "SSO connection changed", AuditOutcome.Change);
    public static readonly AuditAction SsoConnectionDeleted = new("sso.connection_deleted", AuditCategory.Developer, "SSO connection deleted", AuditOutcome.Change);

    // Principals' passkeys
    public static readonly AuditAction PasskeyRegistered = new("passkey.registered", AuditCategory.Passkey, "Passkey registered", AuditOutcome.Success);
    public static readonly AuditAction PasskeyDeleted = new("passkey.deleted", AuditCategory.Passkey, "Passkey deleted", AuditOutcome.Revocation);
    public static readonly AuditAction PasskeyRegistrationRefused = new("passkey.registration_refused", AuditCategory.Passkey, "Passkey registration refused", AuditOutcome.Refusal);
    public static readonly AuditAction PasskeyEnrolmentLinkIssued = new("passkey.enrolment_link_issued", AuditCategory.Passkey, "Passkey enrolment link issued", AuditOutcome.Success);
    public static readonly AuditAction PasskeyEnrolmentLinkUsed = new("passkey.enrolment_link_used", AuditCategory.Passkey, "Passkey enrolled through an enrolment link", AuditOutcome.Success);
    public static readonly AuditAction PasskeyEnrolmentLinkRefused = new("passkey.enrolment_link_refused", AuditCategory.Passkey, "Passkey enrolment link refused: used, expired or for someone else", AuditOutcome.Refusal);

    // Signing keys
    public static readonly AuditAction SigningKeyRotated = new("signing_key.rotated", AuditCategory.SigningKey, "Signing key rotated", AuditOutcome.Change);

    // Compliance
    public static readonly AuditAction AuditPackExported = new("compliance.audit_pack_exported", AuditCategory.Compliance, "Audit pack exported", AuditOutcome.Success);
    public static readonly AuditAction ReservedActionRefused = new("audit.reserved_action_refused", AuditCategory.Compliance, "Audit log refused: a server action name was posted", AuditOutcome.Refusal);
    public static readonly AuditAction CheckpointRefused = new("compliance.checkpoint_refused", AuditCategory.Compliance, "Checkpoint refused: chain no longer matches", AuditOutcome.Failure);

    // Console operators
    public static readonly AuditAction ConsoleSignedIn = new("console.signed_in", AuditCategory.Console, "Signed in to the console", AuditOutcome.Success);
    public static readonly AuditAction ConsoleSignInFailed = new("console.sign_in_failed", AuditCategory.Console, "Console sign-in failed", AuditOutcome.Failure);
    public static readonly AuditAction ConsoleUserCreated = new("console.user_created", AuditCategory.Console, "Console user created", AuditOutcome.Success);
    public static readonly AuditAction ConsoleRoleChanged = new("console.role_changed", AuditCategory.Console, "Console role changed", AuditOutcome.Change);
    public static readonly AuditAction ConsoleUserLocked = new("console.user_locked", AuditCategory.Console, "Console user locked", AuditOutcome.Revocation);
    public static readonly AuditAction ConsoleUserUnlocked = new("console.user_unlocked", AuditCategory.Console, "Console user unlocked", AuditOutcome.Change);
    public static readonly AuditAction ConsoleUserDeleted = new("console.user_deleted", AuditCategory.Console, "Console user deleted", AuditOutcome.Revocation);
    public static readonly AuditAction ConsolePasswordSet = new("console.password_set", AuditCategory.Console, "Console password set", AuditOutcome.Change);
    public static readonly AuditAction ConsolePasswordChanged = new("console.password_changed", AuditCategory.Console, "Console password changed", AuditOutcome.Change);
    public static readonly AuditAction ConsolePasskeyAdded = new("console.passkey_added", AuditCategory.Console, "Console passkey added", AuditOutcome.Success);
    public static readonly AuditAction ConsolePasskeyRemoved = new("console.passkey_removed", AuditCategory.Console, "Console passkey removed", AuditOutcome.Revocation);
    public static readonly AuditAction ConsoleSetupRefused = new("console.setup_refused", AuditCategory.Console, "First-administrator set-up refused: wrong set-up code", AuditOutcome.Refusal);
    public static readonly AuditAction ConsoleActionRefused = new("console.action_refused", AuditCategory.Console, "Console action refused", AuditOutcome.Refusal);
    public static readonly AuditAction ConsoleAccessDenied = new("console.access_denied", AuditCategory.Console, "Console page refused for the role", AuditOutcome.Refusal);

    /// <summary>Every action above, by name.</summary>
    public static readonly FrozenDictionary<string, AuditAction> All = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(AuditAction))
        .Select(f => (AuditAction)f.GetValue(null)!)
        .ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>True when the server writes entries under this name (a developer may not log it as its own).</summary>
    public static bool IsDefined(string name) => All.ContainsKey(name);

    /// <summary>
    /// The catalogued action a client-chosen name stands for, if any: compared after Unicode compatibility
    /// normalisation (NFKC), without case, whitespace, control or format characters (zero-width spaces, direction
    /// overrides), so that <c>Grant.Revoked</c>, <c>ｇrant.revoked</c> or <c>grant.revoked\u200B</c> cannot pass for a
    /// server entry in a listing.
    /// </summary>
    public static AuditAction? Reserved(string name)
    {
        var folded = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune == Rune.ReplacementChar || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune)
                || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                continue;
            }

            folded.Append(rune.ToString());
        }

        return All.GetValueOrDefault(folded.ToString().Normalize(NormalizationForm.FormKC).ToLowerInvariant());
    }

    /// <summary>The server's own action names, sorted: what a developer may not log under.</summary>
    public static IEnumerable<string> ReservedNames => All.Keys.Order(StringComparer.Ordinal);

    /// <summary>The catalogue entry for a stored action; a developer's own action gets a custom entry with its name as label.</summary>
    public static AuditAction Describe(string name) =>
        All.TryGetValue(name, out var action) ? action : new AuditAction(name, AuditCategory.Custom, name, AuditOutcome.Success);
}

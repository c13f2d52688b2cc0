namespace Grantex.Core.Audit;

/// <summary>The family an audit action belongs to: what the console groups, filters and picks an icon by.</summary>
public enum AuditCategory
{
    Grant,
    Token,
    Consent,
    Agent,
    Developer,
    Passkey,
    SigningKey,
    Compliance,
    Console,
    Policy,
    Webhook,
    Anomaly,

    /// <summary>The principal directory: SCIM provisioning, deactivation blocks, principal sessions.</summary>
    Principal,

    /// <summary>An entry a developer wrote with <c>POST /v1/audit/log</c> under a name the server does not define.</summary>
    Custom,
}

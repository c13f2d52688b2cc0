namespace Grantex.Core.Common;

/// <summary>Identifiers are a type prefix plus a ULID (api.md, Identity and keys).</summary>
public static class Ids
{
    public const string Developer = "dev_";
    public const string Agent = "ag_";
    public const string AuthRequest = "areq_";
    public const string Grant = "grnt_";
    public const string Token = "tok_";
    public const string RefreshToken = "ref_";
    public const string AuditEntry = "alog_";
    public const string ApiKey = "key_";
    public const string SigningKey = "sk_";
    public const string PasskeyPrincipal = "prn_";
    public const string Passkey = "cred_";
    public const string PasskeyCeremony = "wac_";
    public const string PasskeyEnrolmentLink = "penl_";
    public const string Policy = "pol_";
    public const string Event = "evt_";
    public const string Webhook = "wh_";
    public const string WebhookDelivery = "whd_";
    public const string Anomaly = "anm_";
    public const string ScimToken = "scimtok_";
    public const string ScimUser = "scimuser_";
    public const string PrincipalSession = "psess_";
    public const string SsoConnection = "sso_";
    public const string OAuthRegistrationToken = "oit_";

    public static string New(string prefix) => prefix + Ulid.NewUlid().ToString();

    public static string AgentDid(string agentId) => AgentDidPrefix + agentId;

    /// <summary>The agent id inside a <c>did:grantex:</c> DID, or null for any other DID.</summary>
    public static string? AgentIdFromDid(string? did) =>
        did is not null && did.StartsWith(AgentDidPrefix, StringComparison.Ordinal) && did.Length > AgentDidPrefix.Length ? did[AgentDidPrefix.Length..] : null;

    private const string AgentDidPrefix = "did:grantex:";
}

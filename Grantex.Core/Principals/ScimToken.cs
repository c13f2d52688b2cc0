namespace Grantex.Core.Principals;

/// <summary>
/// A developer's SCIM bearer token (wire format §7.5): what an identity provider (Entra ID, Okta…) presents to
/// <c>/scim/v2</c>. Only the SHA-256 of the token is kept; revoking is a status change (ADR 0002), never a delete, so
/// the audit trail can still name the token that made a change.
/// </summary>
public sealed class ScimToken
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string Label { get; init; }

    /// <summary>Lower-case hex SHA-256 of the token (the token itself is shown once, at creation).</summary>
    public required string TokenHash { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>Updated at most once a minute, so a busy provisioning run does not turn every read into a write.</summary>
    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}

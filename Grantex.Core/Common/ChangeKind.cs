namespace Grantex.Core.Common;

/// <summary>What kind of committed change a <see cref="ChangeNotice"/> reports.</summary>
public enum ChangeKind
{
    /// <summary>A grant was issued or delegated, or its tokens were refreshed.</summary>
    GrantIssued,

    /// <summary>One or more grants were revoked (a cascade reports every grant it flipped).</summary>
    GrantsRevoked,

    TokenRevoked,

    AgentChanged,

    DeveloperChanged,

    SigningKeysChanged,

    /// <summary>A console account or its roles changed.</summary>
    UsersChanged,

    PolicyChanged,

    /// <summary>Anomalies were detected, updated or acknowledged.</summary>
    AnomaliesChanged,

    /// <summary>A principal was provisioned, changed, deactivated or deleted over SCIM.</summary>
    PrincipalChanged,
}

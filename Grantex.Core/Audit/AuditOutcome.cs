namespace Grantex.Core.Audit;

/// <summary>What kind of event an action records; decides the entry's status and how the console colours it.</summary>
public enum AuditOutcome
{
    /// <summary>Something was created or allowed.</summary>
    Success,

    /// <summary>A setting or a record changed.</summary>
    Change,

    /// <summary>Access was taken away (revocation, deletion, suspension, denial).</summary>
    Revocation,

    /// <summary>The server refused an attempt; nothing changed. Stored with status <c>blocked</c>.</summary>
    Refusal,

    /// <summary>An attempt failed (a wrong password). Stored with status <c>failure</c>.</summary>
    Failure,
}

namespace Grantex.Core.Audit;

/// <summary>
/// One kind of audit entry the server writes: its wire name (what is hashed and exported), its family, a label a
/// person reads, and its outcome. Every writer takes its action from <see cref="AuditActions"/>; the console reads the
/// same entries for labels, icons and colours.
/// </summary>
public sealed record AuditAction(string Name, AuditCategory Category, string Label, AuditOutcome Outcome)
{
    /// <summary>The status stored with entries of this action (the wire format's success, failure or blocked).</summary>
    public string Status => Outcome switch
    {
        AuditOutcome.Refusal => AuditDraft.Blocked,
        AuditOutcome.Failure => AuditDraft.Failure,
        _ => AuditDraft.Success,
    };

    public override string ToString() => Name;
}

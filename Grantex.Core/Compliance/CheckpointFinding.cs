namespace Grantex.Core.Compliance;

/// <summary>The result of comparing a chain (or a window of it) with one checkpoint, with a sentence saying why.</summary>
public sealed record CheckpointFinding(string? CheckpointId, long? Count, string? HeadHash, string? HeadEntryId, DateTime? SignedAt, string? Kid, CheckpointOutcome Outcome, string Detail)
{
    /// <summary>True when the finding is evidence of tampering (not merely "could not be checked").</summary>
    public bool IsProblem => Outcome is CheckpointOutcome.Truncated or CheckpointOutcome.Missing or CheckpointOutcome.Rewritten
        or CheckpointOutcome.SignatureInvalid or CheckpointOutcome.WrongDeveloper or CheckpointOutcome.Malformed;

    /// <summary>The outcome as it appears in JSON: <c>consistent</c>, <c>truncated</c>, <c>signature_invalid</c>…</summary>
    public string OutcomeName => Outcome switch
    {
        CheckpointOutcome.SignatureInvalid => "signature_invalid",
        CheckpointOutcome.WrongDeveloper => "wrong_developer",
        CheckpointOutcome.UnknownKey => "unknown_key",
        CheckpointOutcome.BeforeWindow => "before_window",
        CheckpointOutcome.AfterWindow => "after_window",
        _ => Outcome.ToString().ToLowerInvariant(),
    };
}

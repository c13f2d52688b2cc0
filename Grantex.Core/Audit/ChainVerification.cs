namespace Grantex.Core.Audit;

/// <summary>
/// The result of walking a chain: REF's <c>{valid, checkedEntries, firstBrokenAt, reason}</c>, with reasons
/// "content" (an entry's fields no longer hash to its stored hash), "link" (prevHash is not the previous hash)
/// and "missing" (an entry is gone: the chain positions skip).
/// </summary>
public sealed record ChainVerification(bool Valid, long CheckedEntries, string? FirstBrokenAt, string? Reason, string? Detail, string? HeadHash)
{
    public static ChainVerification Intact(long count, string? head) => new(true, count, null, null, null, head);
}

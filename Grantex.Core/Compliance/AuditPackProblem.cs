namespace Grantex.Core.Compliance;

/// <summary>
/// One thing wrong with an audit pack: a stable code (<c>manifest_signature</c>, <c>file_hash</c>, <c>chain_content</c>,
/// <c>chain_missing</c>, <c>chain_order</c>, <c>checkpoint_truncated</c>, <c>checkpoint_rewritten</c>…) and a sentence.
/// </summary>
public sealed record AuditPackProblem(string Code, string Message);

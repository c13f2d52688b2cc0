namespace Grantex.Core.Common;

/// <summary>A change that has been committed: its kind, the developer it belongs to ("" for server-wide) and the ids it touched.</summary>
public sealed record ChangeNotice(ChangeKind Kind, string DeveloperId, IReadOnlyList<string> Ids);

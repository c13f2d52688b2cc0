namespace Grantex.Core.Common;

/// <summary>One page of a keyset-paginated list; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Paging input: a cursor from the previous page and a size (validated against <see cref="Max"/>).</summary>
public sealed record PageRequest(string? Cursor = null, int? Size = null)
{
    public const int Default = 100;
    public const int Max = 500;

    public Result<(Cursor? After, int Size)> Validate()
    {
        var size = Size ?? Default;
        if (size < 1 || size > Max)
        {
            return GxError.BadRequest($"pageSize must be between 1 and {Max}.", "pageSize");
        }

        if (Cursor is null)
        {
            return (null, size);
        }

        return Common.Cursor.TryDecode(Cursor, out var after) ? (after, size) : GxError.BadRequest("cursor is not valid.", "cursor");
    }
}

namespace Grantex.Core.Grants;

/// <summary>
/// The delegation-tree statements. Plain SQL that SQLite (3.35+) and PostgreSQL both run: a recursive CTE over
/// ParentGrantId, and UPDATE … RETURNING so one statement revokes a whole tree and reports what it changed. Where
/// a cascade reports thousands of rows, the engines get a form that hands them over as one aggregated string
/// (<see cref="RevokedRows"/>): reading 10,000 result rows one by one through ADO.NET cost as much CPU as the
/// UPDATE itself.
/// </summary>
internal static class GrantTreeSql
{
    /// <summary>Seed columns a revocation may start from (an allow-list: never user input in SQL).</summary>
    public enum Seed
    {
        Grant,
        Agent,
        Principal,
    }

    private const string ByRoot = """
        WHERE "DeveloperId" = {0} AND "RootGrantId" = {1} AND "Status" = 'Active'
        """;

    private const string SetRevoked = """
        UPDATE grants SET "Status" = 'Revoked', "RevokedAt" = {2}, "RevokedBy" = {3}
        """;

    /// <summary>
    /// Revokes a whole tree by its root: every grant of a tree carries the root's id, so one indexed UPDATE does
    /// it without walking the parent links (about half the time of the recursive form for 10,000 grants). SQLite
    /// runs <see cref="ListByRootSqlite"/> first, in the same transaction, for the rows it flips. SQLite only:
    /// PostgreSQL revokes through <see cref="RevokeAggregatedPostgres"/>, which also records the revocations.
    /// </summary>
    public const string RevokeByRootNoReturning = SetRevoked + "\n" + ByRoot;

    /// <summary>
    /// SQLite: the rows <see cref="RevokeByRootNoReturning"/> is about to flip, as one string (<see cref="RevokedRows"/>).
    /// Only the single writer writes a SQLite database, so nothing can change between this and the UPDATE in the same
    /// transaction (the revoker still checks that the UPDATE changed exactly as many rows).
    /// </summary>
    public const string ListByRootSqlite = "SELECT coalesce(group_concat(" + RowText + ", ','), '') AS \"Value\" FROM grants\n" + ByRoot;

    /// <summary>
    /// PostgreSQL: the whole revocation in one statement that answers with one string (<see cref="RevokedRows"/>);
    /// the UPDATE runs as a data-modifying CTE, so it is atomic against other nodes, and the same statement records
    /// every revoked grant in <c>grant_revocations</c> (<see cref="GrantRevocation"/>: what the revocation index loads
    /// at start on PostgreSQL — a revocation missing there would verify again after a restart, so no other statement
    /// revokes grants). A null <paramref name="seed"/> revokes by root (as <see cref="RevokeByRootNoReturning"/>), a
    /// seed walks the tree.
    /// </summary>
    public static string RevokeAggregatedPostgres(Seed? seed) => seed is { } s
        ? $"""
            WITH RECURSIVE {TreeCte(s)},
            revoked AS (
                {SetRevoked}
                WHERE "Id" IN (SELECT id FROM tree) AND "Status" = 'Active'
                {ReturningPostgres}
            ),
            {RecordRevocationsPostgres}
            SELECT coalesce(string_agg({RowText}, ','), '') AS "Value" FROM revoked
            """
        : $"""
            WITH revoked AS (
                {SetRevoked}
                {ByRoot}
                {ReturningPostgres}
            ),
            {RecordRevocationsPostgres}
            SELECT coalesce(string_agg({RowText}, ','), '') AS "Value" FROM revoked
            """;

    private const string ReturningPostgres = """
        RETURNING "Id", "ParentGrantId", "ExpiresAt", "DeveloperId", "RevokedAt"
        """;

    private const string RecordRevocationsPostgres = """
        recorded AS (
            INSERT INTO grant_revocations ("GrantId", "DeveloperId", "ExpiresAt", "RevokedAt")
            SELECT "Id", "DeveloperId", "ExpiresAt", "RevokedAt" FROM revoked
        )
        """;

    /// <summary>One revoked row as text: <c>id:expiresAt:parentId</c> (ids are prefixed ULIDs, never ':' or ',').</summary>
    private const string RowText = """
        "Id" || ':' || "ExpiresAt" || ':' || coalesce("ParentGrantId", '')
        """;

    /// <summary>Reads the aggregated form back: <c>id:expiresAt:parentId</c> entries separated by commas.</summary>
    public static List<RevokedGrantRow> RevokedRows(string? text)
    {
        var rows = new List<RevokedGrantRow>();
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var entry = comma < 0 ? rest : rest[..comma];
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            var first = entry.IndexOf(':');
            var second = first < 0 ? -1 : entry[(first + 1)..].IndexOf(':') + first + 1;
            if (first <= 0 || second <= first
                || !long.TryParse(entry[(first + 1)..second], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expires))
            {
                throw new FormatException("A revoked-grant row came back in an unexpected form.");
            }

            var parent = entry[(second + 1)..];
            rows.Add(new RevokedGrantRow(entry[..first].ToString(), parent.IsEmpty ? null : parent.ToString(), expires));
        }

        return rows;
    }

    /// <summary>
    /// SQLite: revokes the active grants a seed names and all their descendants, returning each revoked row
    /// (PostgreSQL revokes through <see cref="RevokeAggregatedPostgres"/>, which also records the revocations).
    /// </summary>
    public static string RevokeTree(Seed seed) => $"""
        WITH RECURSIVE {TreeCte(seed)}
        {SetRevoked}
        WHERE "Id" IN (SELECT id FROM tree) AND "Status" = 'Active'
        RETURNING "Id", "ParentGrantId", "ExpiresAt"
        """;

    /// <summary>The active grants a seed names and every descendant of theirs (the body of a <c>WITH RECURSIVE</c>).</summary>
    private static string TreeCte(Seed seed) => $"""
        tree(id) AS (
            SELECT "Id" FROM grants WHERE "DeveloperId" = {"{0}"} AND {SeedColumn(seed)} = {"{1}"} AND "Status" = 'Active'
            UNION
            SELECT g."Id" FROM grants g JOIN tree t ON g."ParentGrantId" = t.id
        )
        """;

    /// <summary>
    /// The ids of the grants <see cref="RevokeTree"/> would flip right now, without changing anything: the same seed
    /// and recursion, filtered to active rows (for the console's "what revoking cuts off" preview).
    /// </summary>
    public static string PreviewTree(Seed seed) => $"""
        WITH RECURSIVE {TreeCte(seed)}
        SELECT g."Id" AS "Value" FROM grants g WHERE g."Id" IN (SELECT id FROM tree) AND g."Status" = 'Active'
        """;

    /// <summary>Grants issued (or revoked) per UTC day since {0} (Unix ms), optionally for one developer ({1}).</summary>
    public static string DailyCounts(bool revoked, bool oneDeveloper) => DailyCounts(revoked ? "RevokedAt" : "IssuedAt", oneDeveloper);

    private static string DailyCounts(string timeColumn, bool oneDeveloper) => $"""
        SELECT "{timeColumn}" / 86400000 AS "Day", COUNT(*) AS "Count" FROM grants
        WHERE "{timeColumn}" >= {"{0}"}{(oneDeveloper ? " AND \"DeveloperId\" = {1}" : "")}
        GROUP BY "{timeColumn}" / 86400000
        """;

    /// <summary>The ids of a grant's tree (itself and every descendant), for previews and counts.</summary>
    public const string TreeIds = """
        WITH RECURSIVE tree(id) AS (
            SELECT "Id" FROM grants WHERE "DeveloperId" = {0} AND "Id" = {1}
            UNION
            SELECT g."Id" FROM grants g JOIN tree t ON g."ParentGrantId" = t.id
        )
        SELECT id AS "Value" FROM tree
        """;

    private static string SeedColumn(Seed seed) => seed switch
    {
        Seed.Grant => "\"Id\"",
        Seed.Agent => "\"AgentId\"",
        _ => "\"PrincipalId\"",
    };
}

namespace Grantex.Core.Persistence;

/// <summary>
/// A compiled query kept once per database engine. EF binds a compiled query to the provider of the first context it
/// runs with, and one process can hold contexts of both engines (the test suite runs SQLite and PostgreSQL hosts side
/// by side), so each engine compiles its own.
/// </summary>
public sealed class PerEngine<T>(Func<T> compile)
    where T : class
{
    private readonly Lazy<T> _sqlite = new(compile);
    private readonly Lazy<T> _postgres = new(compile);

    public T For(GrantexDbContext db) => (db.IsPostgres ? _postgres : _sqlite).Value;
}

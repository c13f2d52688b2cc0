using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Grantex.Core.Persistence;

/// <summary>
/// Column reads of a stepped statement straight through the entry points of the e_sqlite3 library that SQLitePCLRaw
/// itself loaded, for loops that read tens of millions of values (an audit pack of a million entries reads 15 columns
/// per row). Through <see cref="raw"/> each read is an interface call and a P/Invoke that adds and releases a reference
/// on the statement's SafeHandle and switches the thread out of and back into managed mode, and a text takes two reads
/// (pointer, length), each locking the connection's mutex; here a batch holds one reference, and a column is fetched
/// once (<c>sqlite3_column_value</c>, one lock) and its type, bytes or integer read from that value without a lock. The
/// reads are short, never block and never call back into .NET, which is what <see cref="SuppressGCTransitionAttribute"/>
/// asks of a function. SQLite calls reading a column's value without the lock unsafe only when another thread uses the
/// connection meanwhile: a held statement's connection must be used by one thread at a time (as every ADO.NET
/// connection is), and the values are read before the next step, as the column functions' are.
/// </summary>
/// <remarks>
/// The library is looked up as the provider's own imports look it up, and used only when it is the very same loaded
/// copy: its <c>sqlite3_sourceid()</c> must return the address the provider's returns (a statement of one copy must
/// never meet the functions of another). Otherwise <see cref="Available"/> is false and callers read through
/// <see cref="raw"/>.
/// </remarks>
internal static unsafe class SqliteColumns
{
    private static readonly delegate* unmanaged[SuppressGCTransition]<nint, int, nint> ColumnValue;
    private static readonly delegate* unmanaged[SuppressGCTransition]<nint, byte*> ValueBlob;
    private static readonly delegate* unmanaged[SuppressGCTransition]<nint, int> ValueBytes;
    private static readonly delegate* unmanaged[SuppressGCTransition]<nint, long> ValueInt64;
    private static readonly delegate* unmanaged[SuppressGCTransition]<nint, int> ValueType;

    static SqliteColumns()
    {
        try
        {
            // Microsoft.Data.Sqlite sets SQLitePCLRaw's provider in SqliteConnection's static constructor.
            RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
            if (!NativeLibrary.TryLoad("e_sqlite3", typeof(SQLite3Provider_e_sqlite3).Assembly, null, out var library)
                || !NativeLibrary.TryGetExport(library, "sqlite3_sourceid", out var sourceId)
                || !NativeLibrary.TryGetExport(library, "sqlite3_column_value", out var value)
                || !NativeLibrary.TryGetExport(library, "sqlite3_value_blob", out var blob)
                || !NativeLibrary.TryGetExport(library, "sqlite3_value_bytes", out var bytes)
                || !NativeLibrary.TryGetExport(library, "sqlite3_value_int64", out var int64)
                || !NativeLibrary.TryGetExport(library, "sqlite3_value_type", out var type))
            {
                return;
            }

            var ours = ((delegate* unmanaged<byte*>)sourceId)();
            var theirs = raw.sqlite3_sourceid();
            if (ours is null || ours != Unsafe.AsPointer(ref Unsafe.AsRef(in theirs.GetPinnableReference())))
            {
                return;
            }

            ColumnValue = (delegate* unmanaged[SuppressGCTransition]<nint, int, nint>)value;
            ValueBlob = (delegate* unmanaged[SuppressGCTransition]<nint, byte*>)blob;
            ValueBytes = (delegate* unmanaged[SuppressGCTransition]<nint, int>)bytes;
            ValueInt64 = (delegate* unmanaged[SuppressGCTransition]<nint, long>)int64;
            ValueType = (delegate* unmanaged[SuppressGCTransition]<nint, int>)type;
            Available = true;
        }
        catch (Exception)
        {
            // Whatever went wrong (no such library, no provider), the provider's own path still works: use it.
            Available = false;
        }
    }

    /// <summary>True when the provider's library was found and verified; else use <see cref="raw"/>.</summary>
    public static bool Available { get; }

    /// <summary>
    /// Holds a reference on <paramref name="statement"/> while its columns are read through the returned reader:
    /// dispose it before the statement. Only when <see cref="Available"/>.
    /// </summary>
    public static Reader Hold(sqlite3_stmt statement)
    {
        if (!Available)
        {
            throw new InvalidOperationException("The SQLite library's column functions are not available here.");
        }

        var added = false;
        statement.DangerousAddRef(ref added);
        return new Reader(statement, statement.DangerousGetHandle());
    }

    /// <summary>The current row's columns of a held statement (valid until its next step).</summary>
    public readonly ref struct Reader(sqlite3_stmt statement, nint handle)
    {
        /// <summary>A column's stored bytes (a text's UTF-8; empty for NULL), as <c>sqlite3_column_blob</c> and <c>sqlite3_column_bytes</c> give them.</summary>
        public ReadOnlySpan<byte> Text(int column, out bool isNull)
        {
            var value = ColumnValue(handle, column);
            isNull = ValueType(value) == raw.SQLITE_NULL;
            var start = ValueBlob(value);
            return start is null ? default : new ReadOnlySpan<byte>(start, ValueBytes(value));
        }

        /// <inheritdoc cref="Text(int, out bool)"/>
        public ReadOnlySpan<byte> Text(int column)
        {
            var value = ColumnValue(handle, column);
            var start = ValueBlob(value);
            return start is null ? default : new ReadOnlySpan<byte>(start, ValueBytes(value));
        }

        public long Integer(int column) => ValueInt64(ColumnValue(handle, column));

        public bool IsNull(int column) => ValueType(ColumnValue(handle, column)) == raw.SQLITE_NULL;

        public void Dispose() => statement.DangerousRelease();
    }
}

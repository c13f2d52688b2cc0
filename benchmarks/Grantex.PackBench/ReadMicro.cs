using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

/// <summary>
/// The pack's read stage alone, on one thread: steps the whole chain and reads its 15 columns per row through the
/// library's own entry points, with the connection's mutex taken per column read (SQLite's own locking) or held
/// across each 512-row batch (printed with "readmicro"; alternates the two, 3 rounds).
/// </summary>
internal static unsafe class ReadMicro
{
    public static void Run(string database, string developerId)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        NativeLibrary.TryLoad("e_sqlite3", typeof(SQLite3Provider_e_sqlite3).Assembly, null, out var library);
        var columnValue = (delegate* unmanaged[SuppressGCTransition]<nint, int, nint>)NativeLibrary.GetExport(library, "sqlite3_column_value");
        var valueBlob = (delegate* unmanaged[SuppressGCTransition]<nint, byte*>)NativeLibrary.GetExport(library, "sqlite3_value_blob");
        var valueBytes = (delegate* unmanaged[SuppressGCTransition]<nint, int>)NativeLibrary.GetExport(library, "sqlite3_value_bytes");
        var dbMutex = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(library, "sqlite3_db_mutex");
        var enter = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "sqlite3_mutex_enter");
        var leave = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "sqlite3_mutex_leave");
        var mutex = dbMutex(connection.Handle!.DangerousGetHandle());
        Console.WriteLine($"connection mutex: {(mutex == 0 ? "none" : "yes")}");
        for (var round = 0; round < 3; round++)
        {
            foreach (var hold in new[] { false, true })
            {
                var rc = raw.sqlite3_prepare_v2(connection.Handle, "SELECT \"Sequence\", \"Id\", \"ChainIndex\", \"DeveloperId\", \"AgentId\", \"AgentDid\", \"GrantId\", \"PrincipalId\", \"Action\", \"MetadataJson\", \"Timestamp\", \"PrevHash\", \"Hash\", \"Status\", \"Actor\" FROM audit_entries WHERE \"DeveloperId\" = ?1 ORDER BY \"ChainIndex\"", out var statement);
                raw.sqlite3_bind_text(statement, 1, developerId);
                var handle = statement.DangerousGetHandle();
                var thread = Thread.CurrentThread;
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                long rows = 0, bytes = 0;
                var done = false;
                while (!done)
                {
                    if (hold && mutex != 0)
                    {
                        enter(mutex);
                    }

                    for (var i = 0; i < 512; i++)
                    {
                        if (raw.sqlite3_step(statement) != raw.SQLITE_ROW)
                        {
                            done = true;
                            break;
                        }

                        rows++;
                        for (var c = 0; c < 15; c++)
                        {
                            var v = columnValue(handle, c);
                            if (valueBlob(v) is not null)
                            {
                                bytes += valueBytes(v);
                            }
                        }
                    }

                    if (hold && mutex != 0)
                    {
                        leave(mutex);
                    }
                }

                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                Console.WriteLine($"  {(hold ? "mutex held per batch " : "mutex per column read")}: {clock.Elapsed.TotalSeconds:F2} s (CPU {cpu.TotalSeconds:F2} s), {rows:N0} rows, {bytes / 1048576.0:F0} MB {rc}");
                statement.Dispose();
            }
        }
    }
}

using Grantex.Core.Persistence;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Grantex.Core.Tests.Persistence;

public sealed class SqliteColumnsTests
{
    [Fact]
    public void the_library_sqlitepclraw_loaded_is_found_and_reads_every_column_as_the_provider_reads_it()
    {
        Assert.True(SqliteColumns.Available, "The e_sqlite3 library of the provider was not found or not verified: the audit pack reads through the provider.");
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_prepare_v2(connection.Handle, "SELECT 'naïve 😀', NULL, '', 9007199254740993, x'00ff41', 'a' || char(0) || 'b'", out var statement));
        using (statement)
        {
            Assert.Equal(raw.SQLITE_ROW, raw.sqlite3_step(statement));
            using var columns = SqliteColumns.Hold(statement);
            Assert.Equal(raw.sqlite3_column_blob(statement, 0).ToArray(), columns.Text(0).ToArray());
            Assert.Equal("naïve 😀"u8.ToArray(), columns.Text(0).ToArray());
            Assert.True(columns.IsNull(1));
            Assert.True(columns.Text(1, out var isNull).IsEmpty);
            Assert.True(isNull);
            Assert.False(columns.IsNull(2));
            Assert.True(columns.Text(2, out isNull).IsEmpty);
            Assert.False(isNull);
            Assert.False(columns.IsNull(0));
            Assert.Equal(9007199254740993L, columns.Integer(3));
            Assert.Equal(new byte[] { 0x00, 0xFF, 0x41 }, columns.Text(4).ToArray());
            Assert.Equal("a\0b"u8.ToArray(), columns.Text(5).ToArray());
        }
    }
}

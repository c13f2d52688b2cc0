using Grantex.Compliance.Tests.Infrastructure;
using Grantex.Core.Audit;
using Grantex.Core.Compliance;
using Grantex.Core.IO;
using Grantex.Testing;

namespace Grantex.Compliance.Tests;

/// <summary>
/// The pack writes its chain from the stored bytes on SQLite: the file must be, byte for byte, what writing each entry
/// as the data reader reads it gives — texts that JSON escapes, non-ASCII, and texts that are not even valid UTF-8.
/// </summary>
public sealed class AuditPackBytesTests(CoreHost host) : IClassFixture<CoreHost>
{
    [Fact]
    public async Task the_entries_file_is_byte_for_byte_each_stored_entry_as_the_reference_writer_writes_it()
    {
        var dev = await host.CreateDeveloperAsync();
        await host.LogAsync(dev, 2);
        await host.LogAsync(dev, 1, action: "café \"quoted\" \\ <b>&'+`", metadataJson: """{"note":"naïve 😀 </script>","n":[1,2]}""", agentId: "ag_<é>");
        await host.LogAsync(dev, 3);
        // Written past the server: a principal that is not valid UTF-8 (PostgreSQL refuses to store one: there, a
        // principal with a control character) and a status with a control character.
        await host.TamperWithDatabaseAsync(PostgresCluster.SuiteOnPostgres
            ? "UPDATE audit_entries SET \"PrincipalId\" = 'us' || chr(27) WHERE \"DeveloperId\" = {0} AND \"ChainIndex\" = {1}"
            : "UPDATE audit_entries SET \"PrincipalId\" = CAST(X'7573C3' AS TEXT) WHERE \"DeveloperId\" = {0} AND \"ChainIndex\" = {1}", dev.Developer.Id, 4L);
        await host.TamperWithDatabaseAsync(PostgresCluster.SuiteOnPostgres
            ? "UPDATE audit_entries SET \"Status\" = 'ok' || chr(9) WHERE \"DeveloperId\" = {0} AND \"ChainIndex\" = {1}"
            : "UPDATE audit_entries SET \"Status\" = 'ok' || char(9) WHERE \"DeveloperId\" = {0} AND \"ChainIndex\" = {1}", dev.Developer.Id, 5L);
        var expected = await ReferenceAsync(dev.Developer.Id);

        var pack = await host.PackAsync(dev);

        var actual = PackEditor.Files(pack).Single(f => f.Name == AuditPackFormat.AuditEntries).Content;
        Assert.Equal(7, expected.Count(b => b == (byte)'\n'));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);
        var verdict = await PackEditor.VerifyAsync(pack, host.Jwks());
        Assert.False(verdict.Intact);
        Assert.Contains(verdict.Problems, p => p.Code == "chain_content");
    }

    [Fact]
    public async Task a_window_of_a_long_chain_is_written_and_verified_as_entries_one_by_one()
    {
        var dev = await host.CreateDeveloperAsync();
        await host.LogAsync(dev, 300);
        await host.CheckpointAsync(dev);
        await host.LogAsync(dev, 200);
        var expected = await ReferenceAsync(dev.Developer.Id);

        var pack = await host.PackAsync(dev);

        Assert.Equal(expected, PackEditor.Files(pack).Single(f => f.Name == AuditPackFormat.AuditEntries).Content);
        var verdict = await PackEditor.VerifyAsync(pack, host.Jwks());
        Assert.True(verdict.Intact, verdict.Summary);
        Assert.Contains(verdict.Passed, p => p.Contains("matches", StringComparison.Ordinal));
    }

    [Fact]
    public async Task texts_on_either_side_of_the_plain_line_path_are_written_as_the_reference_writer_writes_them()
    {
        var dev = await host.CreateDeveloperAsync();
        // Every byte the plain path copies as it is, in the fields it copies.
        const string plain = "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789_-.:/@";
        await host.LogAsync(dev, 1, action: plain, agentId: "ag_" + plain);
        // Intact entries (the walk takes them from their bytes) whose texts the JSON writer escapes but JSON.stringify
        // does not: each must leave the plain path for the writer.
        foreach (var text in new[] { "a+b", "<b>", "x&y", "it's", "`tick`", "café", "~!#$%^*()=[]{}|;?,", "\u007f" + "\u007f", "😀" })
        {
            await host.LogAsync(dev, 1, action: "act " + text, agentId: "ag_" + text, metadataJson: """{"t":"plain metadata is copied raw"}""");
        }

        await host.LogAsync(dev, 2);
        var expected = await ReferenceAsync(dev.Developer.Id);

        var pack = await host.PackAsync(dev);

        var actual = PackEditor.Files(pack).Single(f => f.Name == AuditPackFormat.AuditEntries).Content;
        Assert.Equal(13, expected.Count(b => b == (byte)'\n'));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);
        Assert.Contains("\\u002B", System.Text.Encoding.UTF8.GetString(actual), StringComparison.Ordinal);
        var verdict = await PackEditor.VerifyAsync(pack, host.Jwks());
        Assert.True(verdict.Intact, verdict.Summary);
    }

    [Fact]
    public void every_byte_the_plain_line_path_copies_is_one_the_json_writer_leaves_unescaped()
    {
        var copied = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!SqliteChainLines.Plain.Contains((byte)b))
            {
                continue;
            }

            using var buffer = new MemoryStream();
            using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                w.WriteStringValue([(byte)b]);
            }

            Assert.Equal(new[] { (byte)'"', (byte)b, (byte)'"' }, buffer.ToArray());
            copied++;
        }

        Assert.Equal(26 + 26 + 10 + 7, copied);
    }

    /// <summary>Every entry of the chain read by <see cref="AuditEntryReader"/> and written by <see cref="ComplianceJson"/>, one per line.</summary>
    private async Task<byte[]> ReferenceAsync(string developerId)
    {
        await using var db = await host.DbAsync();
        using var buffer = new MemoryStream();
        await using (var json = new JsonStreamWriter(buffer))
        {
            await foreach (var entry in AuditEntryReader.ReadAsync(db, developerId, null, null))
            {
                ComplianceJson.WriteAuditEntry(json.Json, entry);
                await json.EndLineAsync(CancellationToken.None);
            }

            await json.FlushAsync(CancellationToken.None);
        }

        return buffer.ToArray();
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Grantex.Core.Compliance;
using Grantex.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Api.Tests.Hardening;

/// <summary>
/// Checkpoints are also kept outside the database, so whoever deletes the chain's tail together with the checkpoint
/// rows is still caught by <c>GET /v1/audit/verify</c>.
/// </summary>
public sealed class CheckpointJournalTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [SqliteFact]
    public async Task deleting_the_tail_and_the_checkpoint_rows_is_still_reported_as_truncation()
    {
        var api = await ApiClient.CreateAsync(factory);
        await LogAsync(api, 5);
        var checkpoint = await ApiClient.ExpectAsync(await api.PostAsync("/v1/compliance/checkpoints", null), HttpStatusCode.Created);
        var count = (long)checkpoint["count"]!;
        Assert.True((bool)(await VerifyAsync(api))["valid"]!);

        // The attacker has write access to the database file: cut the last three entries and every checkpoint row.
        Assert.Equal(3, await SqlAsync("DELETE FROM audit_entries WHERE DeveloperId = $dev AND ChainIndex >= $from", api.DeveloperId, count - 3));
        Assert.Equal(1, await SqlAsync("DELETE FROM audit_checkpoints WHERE DeveloperId = $dev", api.DeveloperId));

        var verdict = await VerifyAsync(api);
        Assert.False((bool)verdict["valid"]!);
        Assert.Equal("truncated", (string?)verdict["reason"]);
        Assert.Equal((string?)checkpoint["checkpointId"], (string?)verdict["checkpoint"]!["checkpointId"]);
        Assert.Contains("cut from the end", (string?)verdict["detail"]);

        // Nor will the server bless the cut chain with a fresh checkpoint.
        await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/compliance/checkpoints", null), HttpStatusCode.Conflict, "CONFLICT");
        Assert.Empty((await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/compliance/checkpoints"), HttpStatusCode.OK))["checkpoints"]!.AsArray());
    }

    [Fact]
    public async Task each_checkpoint_is_one_json_line_beside_the_database_after_its_commit()
    {
        var api = await ApiClient.CreateAsync(factory);
        await LogAsync(api, 2);
        var first = await ApiClient.ExpectAsync(await api.PostAsync("/v1/compliance/checkpoints", null), HttpStatusCode.Created);
        await LogAsync(api, 1);
        var second = await ApiClient.ExpectAsync(await api.PostAsync("/v1/compliance/checkpoints", null), HttpStatusCode.Created);

        var lines = await File.ReadAllLinesAsync(Path.Combine(factory.DataDirectory, "checkpoints", api.DeveloperId + ".jsonl"));
        Assert.Equal(2, lines.Length);
        var line = JsonNode.Parse(lines[1])!.AsObject();
        Assert.Equal((string?)second["checkpointId"], (string?)line["id"]);
        Assert.Equal(api.DeveloperId, (string?)line["developerId"]);
        Assert.Equal((long)second["count"]!, (long)line["count"]!);
        Assert.Equal((long)second["count"]! - 1, (long)line["headPosition"]!);
        Assert.Equal((string?)second["headHash"], (string?)line["headHash"]);
        Assert.Equal((string?)second["jws"], (string?)line["jws"]);
        Assert.Equal((string?)first["checkpointId"], (string?)JsonNode.Parse(lines[0])!["id"]);
    }

    [Fact]
    public async Task a_forged_line_in_the_folder_is_not_trusted()
    {
        var api = await ApiClient.CreateAsync(factory);
        await LogAsync(api, 2);
        await ApiClient.ExpectAsync(await api.PostAsync("/v1/compliance/checkpoints", null), HttpStatusCode.Created);

        // Someone who can write the folder but not sign: a checkpoint claiming 1000 entries, under the server's kid.
        var jwks = await ApiClient.ExpectAsync(await factory.CreateClient().GetAsync("/.well-known/jwks.json"), HttpStatusCode.OK);
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = (string)jwks["keys"]![0]!["kid"]! };
        var claims = new CheckpointClaims("ckpt_forged", "http://localhost", api.DeveloperId, 1000, new string('a', 64), "alog_forged", "2026-01-01T00:00:00.000Z", 1);
        var forged = new JsonObject { ["id"] = "ckpt_forged", ["developerId"] = api.DeveloperId, ["count"] = 1000, ["jws"] = CheckpointToken.Sign(claims, key) };
        await File.AppendAllTextAsync(Path.Combine(factory.DataDirectory, "checkpoints", api.DeveloperId + ".jsonl"), forged.ToJsonString() + "\n{torn line");

        var verdict = await VerifyAsync(api);
        Assert.True((bool)verdict["valid"]!, verdict.ToJsonString());
        Assert.Equal("consistent", (string?)verdict["checkpoint"]!["outcome"]);
    }

    private static async Task LogAsync(ApiClient api, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await ApiClient.ExpectAsync(await api.PostAsync("/v1/audit/log", new
            {
                agentId = "ag_1", agentDid = "did:grantex:ag_1", grantId = "grnt_1", principalId = "alice", action = "tool.invoked", metadata = new { i },
            }), HttpStatusCode.Created);
        }
    }

    private static async Task<JsonObject> VerifyAsync(ApiClient api) =>
        await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/audit/verify"), HttpStatusCode.OK);

    private async Task<int> SqlAsync(string sql, string developerId, long? from = null)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$dev", developerId);
        if (from is { } f)
        {
            command.Parameters.AddWithValue("$from", f);
        }

        return await command.ExecuteNonQueryAsync();
    }
}

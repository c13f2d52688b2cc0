using System.Text.Json;
using Grantex.Core.Audit;

namespace Grantex.Core.Tests.Audit;

public class AuditHashTests
{
    private const string E1Hash = "a1885baefd24b842333d6f54f6ceec8ee0b8905073a2499b44b3d115f79b3615";

    private static AuditHashInput E1 => new(
        "alog_001", "ag_001", "did:grantex:ag_001", "grnt_001", "user_001", "dev_001", "invoke", "{}",
        "2026-01-01T00:00:00.000Z", null, "success");

    [Fact]
    public void first_test_vector_of_the_wire_format_reproduces_exactly()
    {
        Assert.Equal(E1Hash, AuditHash.Compute(E1));
    }

    [Fact]
    public void second_test_vector_with_unsorted_nested_metadata_reproduces_exactly()
    {
        var metadata = AuditHash.Canonicalize(Parse("""{"zebra":1,"alpha":{"yankee":true,"bravo":[3,2]},"mike":"x"}"""));

        var hash = AuditHash.Compute(E1 with
        {
            Id = "alog_002",
            Action = "payment.initiated",
            CanonicalMetadata = metadata,
            Timestamp = "2026-01-01T00:00:01.500Z",
            PrevHash = E1Hash,
            Status = "failure",
        });

        Assert.Equal("""{"alpha":{"bravo":[3,2],"yankee":true},"mike":"x","zebra":1}""", metadata);
        Assert.Equal("827b13c0c62c7de771105db84f728bc45fc078de5f9aa9912ce950ac37a91672", hash);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00.000Z", null)]
    [InlineData("2026-01-01T00:00:01.500Z", E1Hash)]
    [InlineData("1970-01-01T00:00:00.000Z", null)]
    [InlineData("2026-12-31T23:59:59.999Z", E1Hash)]
    [InlineData("2024-02-29T12:07:03.045Z", E1Hash)]
    [InlineData("2099-06-15T09:00:00.001Z", null)]
    public void the_utf8_hash_of_stored_fields_equals_the_reference_hash(string timestamp, string? prevHash)
    {
        using var utf8 = new Grantex.Core.Audit.Utf8AuditHash();
        foreach (var input in new[]
        {
            E1 with { Timestamp = timestamp, PrevHash = prevHash },
            E1 with { Timestamp = timestamp, PrevHash = prevHash, AgentId = "ag_é_日本_😀", CanonicalMetadata = "{\"w\":\"Grüße 😀\",\"n\":1.5}" },
        })
        {
            var millis = Grantex.Core.Common.TimeFormat.ToUnixMillis(DateTime.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));
            static byte[] B(string s) => System.Text.Encoding.UTF8.GetBytes(s);
            Assert.True(utf8.TryWriteEntry(B(input.Id), B(input.AgentId), B(input.AgentDid), B(input.GrantId), B(input.PrincipalId), B(input.DeveloperId),
                B(input.Action), B(input.CanonicalMetadata), millis, input.PrevHash is null, B(input.PrevHash ?? ""), B(input.Status)));
            var hex = new byte[64];
            utf8.Finish(hex);
            Assert.Equal(AuditHash.Compute(input), System.Text.Encoding.ASCII.GetString(hex));
        }

        // Fields JSON.stringify escapes are left to the string path.
        Assert.False(utf8.TryAppendString("a\"b"u8));
        Assert.False(utf8.TryAppendString("a\nb"u8));
        Assert.False(utf8.TryAppendString([0x61, 0xFF, 0x62]));
    }

    [Fact]
    public void changing_any_hashed_field_changes_the_hash()
    {
        var variants = new[]
        {
            E1 with { Id = "alog_00X" },
            E1 with { AgentId = "ag_00X" },
            E1 with { AgentDid = "did:grantex:ag_00X" },
            E1 with { GrantId = "grnt_00X" },
            E1 with { PrincipalId = "user_00X" },
            E1 with { DeveloperId = "dev_00X" },
            E1 with { Action = "invoke2" },
            E1 with { CanonicalMetadata = """{"a":1}""" },
            E1 with { Timestamp = "2026-01-01T00:00:00.001Z" },
            E1 with { PrevHash = E1Hash },
            E1 with { Status = "failure" },
        };

        Assert.All(variants, v => Assert.NotEqual(E1Hash, AuditHash.Compute(v)));
    }

    // Expected values below were produced by JSON.stringify with recursively sorted keys (Node 20), i.e. REF's canonicalJson.
    [Theory]
    [InlineData("""{"b":1,"a":{"d":[3,{"z":1,"y":2}],"c":1.0}}""", """{"a":{"c":1,"d":[3,{"y":2,"z":1}]},"b":1}""")]
    [InlineData("""{"é":1,"z":2,"Z":3,"😀":4,"\uffff":5}""", """{"Z":3,"z":2,"é":1,"😀":4,"￿":5}""")]
    [InlineData("""{"list":[{"b":2,"a":1},[3,1,2],"x",null,false]}""", """{"list":[{"a":1,"b":2},[3,1,2],"x",null,false]}""")]
    [InlineData("""{ "spaced" : [ 1 , 2 ] , "empty" : { } }""", """{"empty":{},"spaced":[1,2]}""")]
    public void metadata_keys_are_sorted_by_utf16_code_unit_at_every_depth_and_arrays_keep_their_order(string input, string expected)
    {
        Assert.Equal(expected, AuditHash.Canonicalize(Parse(input)));
    }

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("1e2", "100")]
    [InlineData("100.50", "100.5")]
    [InlineData("-0.0", "0")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1.5e-7", "1.5e-7")]
    [InlineData("1e21", "1e+21")]
    [InlineData("123e20", "1.23e+22")]
    [InlineData("12345678901234567890", "12345678901234567000")]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("-42", "-42")]
    [InlineData("0.1", "0.1")]
    public void numbers_are_printed_as_javascript_prints_them(string number, string expected)
    {
        Assert.Equal($$"""{"n":{{expected}}}""", AuditHash.Canonicalize(Parse($$"""{"n":{{number}}}""")));
    }

    [Theory]
    [InlineData("""{"s":"<tag>&\u00e9 日本 😀"}""", """{"s":"<tag>&é 日本 😀"}""")]
    [InlineData("""{"s":"\u001f\u0008\n\t\r\f\"\\"}""", """{"s":"\u001f\b\n\t\r\f\"\\"}""")]
    [InlineData("""{"s":"\u007f\u2028\u200b'+`"}""", "{\"s\":\"\u007f\u2028\u200b'+`\"}")]
    public void strings_are_escaped_exactly_as_json_stringify_escapes_them(string input, string expected)
    {
        Assert.Equal(expected, AuditHash.Canonicalize(Parse(input)));
    }

    [Fact]
    public void a_duplicate_key_keeps_its_last_value_as_json_parse_does()
    {
        Assert.Equal("""{"a":2,"b":1}""", AuditHash.Canonicalize(Parse("""{"b":1,"a":1,"a":2}""")));
    }

    [Fact]
    public void hashed_top_level_fields_are_escaped_as_json_stringify_escapes_them()
    {
        // JSON.stringify leaves '<', '&' and non-ASCII as they are; SHA-256 of that exact string (Node 20).
        var hash = AuditHash.Compute(E1 with { PrincipalId = "<José & 😀>" });

        Assert.Equal("81e355d6f7e3d5d829abb68c3f243003b583db742e80fcf6f2231019cfcb81f0", hash);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}

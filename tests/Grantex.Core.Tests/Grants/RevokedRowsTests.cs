using Grantex.Core.Grants;

namespace Grantex.Core.Tests.Grants;

/// <summary>The aggregated form a cascade's rows come back in (<c>id:expiresAt:parentId</c>, comma-separated).</summary>
public sealed class RevokedRowsTests
{
    [Fact]
    public void roots_and_children_come_back_with_their_parent_and_expiry()
    {
        var rows = GrantTreeSql.RevokedRows("grnt_A:1764756000000:,grnt_B:1764756000001:grnt_A,grnt_C:0:grnt_B");

        Assert.Equal(
            [new RevokedGrantRow("grnt_A", null, 1764756000000), new RevokedGrantRow("grnt_B", "grnt_A", 1764756000001), new RevokedGrantRow("grnt_C", "grnt_B", 0)],
            rows);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void nothing_revoked_is_an_empty_list(string? text) => Assert.Empty(GrantTreeSql.RevokedRows(text));

    [Theory]
    [InlineData("grnt_A")]
    [InlineData("grnt_A:123")]
    [InlineData(":123:")]
    [InlineData("grnt_A:-5:")]
    [InlineData("grnt_A:12x:")]
    [InlineData("grnt_A:1:,garbage")]
    public void anything_else_is_refused_rather_than_half_read(string text) =>
        Assert.Throws<FormatException>(() => GrantTreeSql.RevokedRows(text));
}

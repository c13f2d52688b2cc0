using Grantex.Core.Common;

namespace Grantex.Core.Tests.Common;

public class ValidateTests
{
    [Fact]
    public void scopes_are_kept_verbatim_in_order_without_duplicates()
    {
        var result = Validate.Scopes(["read", "payments:initiate:max_500", "read", "READ"], required: true);

        Assert.True(result.IsSuccess);
        Assert.Equal(["read", "payments:initiate:max_500", "READ"], result.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("read\n")]
    [InlineData("re\u0000ad")]
    public void a_blank_or_control_character_scope_is_refused(string scope)
    {
        var result = Validate.Scopes(["read", scope], required: true);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.BadRequest, result.Error.Code);
    }

    [Fact]
    public void a_null_scope_in_the_list_is_refused()
    {
        Assert.False(Validate.Scopes(["read", null], required: true).IsSuccess);
    }

    [Fact]
    public void a_scope_longer_than_256_characters_is_refused_and_256_is_accepted()
    {
        Assert.True(Validate.Scopes([new string('s', 256)], required: true).IsSuccess);
        Assert.False(Validate.Scopes([new string('s', 257)], required: true).IsSuccess);
    }

    [Fact]
    public void more_than_100_scopes_are_refused()
    {
        Assert.True(Validate.Scopes(Enumerable.Range(0, 100).Select(i => (string?)$"s{i}").ToList(), required: true).IsSuccess);
        Assert.False(Validate.Scopes(Enumerable.Range(0, 101).Select(i => (string?)$"s{i}").ToList(), required: true).IsSuccess);
    }

    [Fact]
    public void an_empty_list_is_refused_only_when_scopes_are_required()
    {
        Assert.False(Validate.Scopes([], required: true).IsSuccess);
        Assert.False(Validate.Scopes(null, required: true).IsSuccess);
        Assert.Empty(Validate.Scopes(null, required: false).Value!);
    }

    [Theory]
    [InlineData("https://app.example.com/callback")]
    [InlineData("http://localhost:3000/cb?x=1")]
    [InlineData("https://app.example.com:8443/a/b")]
    public void absolute_http_redirect_uris_are_accepted(string uri)
    {
        Assert.True(Validate.RedirectUri(uri));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/callback")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("ftp://app.example.com/cb")]
    [InlineData("https://user:pw@app.example.com/cb")]
    [InlineData("https://app@evil.example/cb")]
    [InlineData("https://app.example.com/cb#frag")]
    [InlineData("https://app.example.com/c b")]
    [InlineData("https://app.example.com/cb\n")]
    public void other_redirect_uris_are_refused(string? uri)
    {
        Assert.False(Validate.RedirectUri(uri));
    }

    [Fact]
    public void a_redirect_uri_longer_than_2048_characters_is_refused()
    {
        Assert.False(Validate.RedirectUri("https://app.example.com/" + new string('a', 2048)));
    }
}

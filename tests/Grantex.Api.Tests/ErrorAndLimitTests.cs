using System.Net;
using System.Text;
using Grantex.Testing;

namespace Grantex.Api.Tests;

public sealed class ErrorAndLimitTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task an_unknown_v1_route_is_404_in_the_wire_format()
    {
        var api = await ApiClient.CreateAsync(factory);
        var body = await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("/v1/nothing-here", (string?)body["message"]);
    }

    [Fact]
    public async Task malformed_json_is_400_with_a_clear_message()
    {
        var api = await ApiClient.CreateAsync(factory);
        var response = await api.Http.PostAsync("/v1/agents", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));
        var body = await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Contains("JSON", (string?)body["message"]);
        var wrongType = await api.Http.PostAsync("/v1/agents", new StringContent("{\"name\":\"a\",\"scopes\":\"read\"}", Encoding.UTF8, "application/json"));
        await ApiClient.ExpectErrorAsync(wrongType, HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task deeply_nested_json_is_refused()
    {
        var api = await ApiClient.CreateAsync(factory);
        var nested = new string('[', 200) + new string(']', 200);
        var json = $"{{\"agentId\":\"a\",\"agentDid\":\"d\",\"grantId\":\"g\",\"principalId\":\"p\",\"action\":\"x\",\"metadata\":{{\"deep\":{nested}}}}}";
        await ApiClient.ExpectErrorAsync(await api.Http.PostAsync("/v1/audit/log", new StringContent(json, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task a_body_over_one_mebibyte_is_413()
    {
        var api = await ApiClient.CreateAsync(factory);
        var json = "{\"name\":\"" + new string('a', 1_100_000) + "\"}";
        var response = await api.Http.PostAsync("/v1/agents", new StringContent(json, Encoding.UTF8, "application/json"));
        await ApiClient.ExpectErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task authenticated_responses_carry_the_three_rate_limit_headers_in_seconds()
    {
        var api = await ApiClient.CreateAsync(factory);
        var response = await api.Http.GetAsync("/v1/agents");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var limit = int.Parse(response.Headers.GetValues("x-ratelimit-limit").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var remaining = int.Parse(response.Headers.GetValues("x-ratelimit-remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var reset = int.Parse(response.Headers.GetValues("x-ratelimit-reset").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(100000, limit);
        Assert.InRange(remaining, 0, limit - 1);
        Assert.InRange(reset, 1, 60);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task any_method_on_an_unknown_v1_route_is_404_not_405()
    {
        var api = await ApiClient.CreateAsync(factory);
        var post = await ApiClient.ExpectErrorAsync(await api.Http.PostAsync("/v1/nothing-here", null), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("/v1/nothing-here", (string?)post["message"]);
        await ApiClient.ExpectErrorAsync(await api.Http.PutAsync("/v1/agents/x/y/z", null), HttpStatusCode.NotFound, "NOT_FOUND");
        await ApiClient.ExpectErrorAsync(await api.Http.DeleteAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task a_post_to_an_unknown_page_is_404_not_405()
    {
        var http = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/nothing-here", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("/nothing/here/either")).StatusCode);
    }

    [Fact]
    public async Task a_known_route_with_another_method_is_405()
    {
        var api = await ApiClient.CreateAsync(factory);
        var body = await ApiClient.ExpectErrorAsync(await api.Http.DeleteAsync("/v1/token"), HttpStatusCode.MethodNotAllowed, "BAD_REQUEST");
        Assert.Contains("DELETE", (string?)body["message"]);
    }

    [Fact]
    public async Task a_validation_error_names_the_offending_field()
    {
        var api = await ApiClient.CreateAsync(factory);
        var response = await api.PostAsync("/v1/authorize", new { principalId = "alice", scopes = new[] { "read" } });
        var body = await ApiClient.ExpectErrorAsync(response, HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal("agentId, principalId, and scopes are required.", (string?)body["message"]);
        Assert.Equal(["agentId"], body["fields"]!.AsArray().Select(f => (string?)f));

        var badRedirect = await api.PostAsync("/v1/authorize", new { agentId = "a", principalId = "alice", scopes = new[] { "read" }, redirectUri = "ftp://x" });
        var redirect = await ApiClient.ExpectErrorAsync(badRedirect, HttpStatusCode.BadRequest, "BAD_REQUEST");
        Assert.Equal(["redirectUri"], redirect["fields"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public async Task an_error_not_about_one_field_has_no_fields_member()
    {
        var api = await ApiClient.CreateAsync(factory);
        var body = await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/agents/ag_missing"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.False(body.ContainsKey("fields"));
    }
}

/// <summary>An app with rate limits a test reaches: 5 requests a minute per developer, 3 per client address.</summary>
public sealed class LowRateLimitFactory : IAsyncLifetime
{
    public GrantexApp App { get; } = GrantexApp.With(new GrantexAppOptions
    {
        Settings = new Dictionary<string, string?>
        {
            ["Grantex:RateLimits:PerDeveloperPerMinute"] = "5",
            ["Grantex:RateLimits:PerIpPerMinute"] = "3",
        },
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class RateLimitTests(LowRateLimitFactory factory) : IClassFixture<LowRateLimitFactory>
{
    [Fact]
    public async Task a_developer_over_the_limit_gets_429_with_retry_after_and_a_retry_in_message()
    {
        var api = await ApiClient.CreateAsync(factory.App);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/v1/agents")).StatusCode);
        }

        var limited = await api.Http.GetAsync("/v1/agents");
        var body = await ApiClient.ExpectErrorAsync(limited, HttpStatusCode.TooManyRequests, "RATE_LIMIT_EXCEEDED");
        Assert.Matches("retry in [0-9]+ seconds", (string)body["message"]!);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("0", limited.Headers.GetValues("x-ratelimit-remaining").Single());

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await factory.App.CreateClient().GetAsync("/.well-known/jwks.json")).StatusCode);
        }
    }

    [Fact]
    public async Task repeated_failed_authentication_is_rate_limited_per_client()
    {
        var client = factory.App.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer not-a-real-key-0000000");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync("/v1/me")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}

public sealed class OutOfScopeTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    [Fact]
    public async Task out_of_scope_reference_routes_say_so_with_404_and_billing_reports_an_unlimited_plan()
    {
        var api = await ApiClient.CreateAsync(factory);
        var body = await ApiClient.ExpectErrorAsync(await api.PostAsync("/v1/budget/allocate", new { grantId = "g" }), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("out of scope", (string?)body["message"]);
        var plan = await ApiClient.ExpectAsync(await api.Http.GetAsync("/v1/billing/subscription"), HttpStatusCode.OK);
        Assert.Equal("enterprise", (string?)plan["plan"]);
    }
}

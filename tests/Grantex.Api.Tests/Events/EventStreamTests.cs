using System.Net;
using System.Text.Json.Nodes;
using Grantex.Core.Events;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Events;

/// <summary>The server on real Kestrel with a one-second heartbeat, for tests that hold streams open.</summary>
public sealed class EventStreamApp : IAsyncLifetime
{
    public GrantexApp App { get; } = GrantexApp.With(new GrantexAppOptions
    {
        Kestrel = true,
        Settings = new Dictionary<string, string?> { ["Grantex:Events:HeartbeatSeconds"] = "1" },
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// <c>GET /v1/events/stream</c> over real HTTP: the reference's SSE framing with the stored envelope, the type filter,
/// the per-developer cap, heartbeats, and resuming with Last-Event-ID without a gap or a duplicate.
/// </summary>
public sealed class EventStreamTests(EventStreamApp fixture) : IClassFixture<EventStreamApp>
{
    private GrantexApp App => fixture.App;

    private EventLog Log => App.Services.GetRequiredService<EventLog>();

    [Fact]
    public async Task events_arrive_in_order_as_id_and_data_lines_with_the_stored_envelope_byte_for_byte()
    {
        var api = await ApiClient.CreateAsync(App);
        var agent = await api.CreateAgentAsync();
        await using var stream = await SseStream.OpenAsync(api.Http, "/v1/events/stream");
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", stream.Response.Headers.CacheControl?.ToString());
        Assert.Equal("no", stream.Response.Headers.GetValues("X-Accel-Buffering").Single());

        await api.GrantAsync(agent);
        var received = await stream.NextEventsAsync(3);

        var logged = await Log.ReadAfterAsync(api.DeveloperId, 0, null, 100);
        Assert.Equal([EventTypes.ConsentApproved, EventTypes.GrantCreated, EventTypes.TokenIssued], logged.Select(e => e.Type));
        Assert.Equal(logged.Select(e => e.Body), received.Select(f => f.Data));
        Assert.Equal(logged.Select(e => e.Id), received.Select(f => f.Id));
        Assert.All(received, f => Assert.Equal(["id: " + f.Id, "data: " + f.Data], f.Lines));
    }

    [Fact]
    public async Task only_the_requested_types_are_sent()
    {
        var api = await ApiClient.CreateAsync(App);
        var agent = await api.CreateAgentAsync();
        await using var stream = await SseStream.OpenAsync(api.Http, "/v1/events/stream?types=grant.created,token.revoked");

        var grant = await api.GrantAsync(agent);
        var jti = (string)ApiClient.Payload((string)grant["grantToken"]!)["jti"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync("/v1/tokens/revoke", new { jti })).StatusCode);
        var received = await stream.NextEventsAsync(2);

        Assert.Equal([EventTypes.GrantCreated, EventTypes.TokenRevoked], received.Select(f => (string?)JsonNode.Parse(f.Data!)!["type"]));
    }

    [Fact]
    public async Task another_developers_events_never_appear()
    {
        var mine = await ApiClient.CreateAsync(App);
        var theirs = await ApiClient.CreateAsync(App, name: "Other developer");
        var myAgent = await mine.CreateAgentAsync();
        var theirAgent = await theirs.CreateAgentAsync();
        await using var stream = await SseStream.OpenAsync(mine.Http, "/v1/events/stream");

        await theirs.GrantAsync(theirAgent);
        await mine.GrantAsync(myAgent);
        var received = await stream.NextEventsAsync(3);

        var myLog = await Log.ReadAfterAsync(mine.DeveloperId, 0, null, 100);
        Assert.Equal(myLog.Select(e => e.Id), received.Select(f => f.Id));
        Assert.All(received, f => Assert.Equal(myAgent, (string?)JsonNode.Parse(f.Data!)!["data"]!["agentId"]));
    }

    [Fact]
    public async Task without_last_event_id_the_stream_starts_now()
    {
        var api = await ApiClient.CreateAsync(App);
        var agent = await api.CreateAgentAsync();
        await api.GrantAsync(agent);
        await using var stream = await SseStream.OpenAsync(api.Http, "/v1/events/stream?types=grant.created");

        var later = await api.GrantAsync(agent);
        var first = await stream.NextEventAsync();

        Assert.Equal((string?)later["grantId"], (string?)JsonNode.Parse(first.Data!)!["data"]!["grantId"]);
    }

    [Fact]
    public async Task a_quiet_stream_sends_keepalive_comments()
    {
        var api = await ApiClient.CreateAsync(App);
        await using var stream = await SseStream.OpenAsync(api.Http, "/v1/events/stream");

        var frame = await stream.NextFrameAsync();

        Assert.Equal("keepalive", frame.Comment);
        Assert.Equal([": keepalive"], frame.Lines);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task a_client_that_reconnects_with_last_event_id_gets_exactly_what_it_missed_then_live_events(bool header)
    {
        var api = await ApiClient.CreateAsync(App);
        var agent = await api.CreateAgentAsync();
        string lastSeen;
        await using (var first = await SseStream.OpenAsync(api.Http, "/v1/events/stream"))
        {
            await api.GrantAsync(agent);
            lastSeen = (await first.NextEventsAsync(3))[^1].Id!;
        }

        // Made while no stream is open: the server must take them from the log.
        var missedGrant = await api.GrantAsync(agent);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Http.DeleteAsync($"/v1/grants/{missedGrant["grantId"]}")).StatusCode);
        var missed = await Log.ReadAfterAsync(api.DeveloperId, (await Log.FindSeqAsync(api.DeveloperId, lastSeen))!.Value, null, 100);
        Assert.Equal(4, missed.Count);

        await using var resumed = header
            ? await SseStream.OpenAsync(api.Http, "/v1/events/stream", lastEventId: lastSeen)
            : await SseStream.OpenAsync(api.Http, $"/v1/events/stream?lastEventId={lastSeen}");
        Assert.Equal(HttpStatusCode.OK, resumed.Response.StatusCode);
        var replayed = await resumed.NextEventsAsync(missed.Count);
        var liveGrant = await api.GrantAsync(agent);
        var live = await resumed.NextEventsAsync(3);

        Assert.Equal(missed.Select(e => e.Id), replayed.Select(f => f.Id));
        Assert.Equal(missed.Select(e => e.Body), replayed.Select(f => f.Data));
        Assert.Equal([EventTypes.ConsentApproved, EventTypes.GrantCreated, EventTypes.TokenIssued], live.Select(f => (string?)JsonNode.Parse(f.Data!)!["type"]));
        Assert.Equal((string?)liveGrant["grantId"], (string?)JsonNode.Parse(live[1].Data!)!["data"]!["grantId"]);
        var all = replayed.Concat(live).Select(f => f.Id).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task an_unknown_or_foreign_last_event_id_is_refused()
    {
        var mine = await ApiClient.CreateAsync(App);
        var theirs = await ApiClient.CreateAsync(App, name: "Other developer");
        await theirs.GrantAsync(await theirs.CreateAgentAsync());
        var foreign = (await Log.ReadAfterAsync(theirs.DeveloperId, 0, null, 1))[0].Id;

        foreach (var id in new[] { "evt_01J00000000000000000000000", foreign })
        {
            await using var stream = await SseStream.OpenAsync(mine.Http, "/v1/events/stream", lastEventId: id);
            var error = await ApiClient.ExpectErrorAsync(stream.Response, HttpStatusCode.BadRequest, "BAD_REQUEST");
            Assert.Equal(["lastEventId"], error["fields"]!.AsArray().Select(n => (string)n!));
        }
    }

    [Fact]
    public async Task unknown_types_are_refused_naming_the_valid_ones()
    {
        var api = await ApiClient.CreateAsync(App);

        var error = await ApiClient.ExpectErrorAsync(await api.Http.GetAsync("/v1/events/stream?types=grant.created,grant.exploded"), HttpStatusCode.BadRequest, "BAD_REQUEST");

        Assert.Contains("grant.exploded", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", EventTypes.All), (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_stream_needs_an_api_key()
    {
        using var anonymous = App.CreateClient();

        await ApiClient.ExpectErrorAsync(await anonymous.GetAsync("/v1/events/stream"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task a_sixth_stream_is_refused_until_a_client_disconnects()
    {
        var api = await ApiClient.CreateAsync(App);
        var other = await ApiClient.CreateAsync(App, name: "Other developer");
        var streams = App.Services.GetRequiredService<EventStreams>();
        var open = new List<SseStream>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var s = await SseStream.OpenAsync(api.Http, "/v1/events/stream");
                Assert.Equal(HttpStatusCode.OK, s.Response.StatusCode);
                open.Add(s);
            }

            await using (var sixth = await SseStream.OpenAsync(api.Http, "/v1/events/stream"))
            {
                var error = await ApiClient.ExpectErrorAsync(sixth.Response, HttpStatusCode.TooManyRequests, "TOO_MANY_CONNECTIONS");
                Assert.Contains("5", (string)error["message"]!, StringComparison.Ordinal);
            }

            await using (var othersStream = await SseStream.OpenAsync(other.Http, "/v1/events/stream"))
            {
                Assert.Equal(HttpStatusCode.OK, othersStream.Response.StatusCode);
            }

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            await Eventually.UntilAsync(() => Task.FromResult(streams.OpenCount(api.DeveloperId) == 4), "The closed stream's slot was not given back.");

            await using var again = await SseStream.OpenAsync(api.Http, "/v1/events/stream");
            Assert.Equal(HttpStatusCode.OK, again.Response.StatusCode);
        }
        finally
        {
            foreach (var s in open)
            {
                await s.DisposeAsync();
            }
        }

        await Eventually.UntilAsync(() => Task.FromResult(streams.OpenCount(api.DeveloperId) == 0), "Closed streams kept their slots.");
    }
}

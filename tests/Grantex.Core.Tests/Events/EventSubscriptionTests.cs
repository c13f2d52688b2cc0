using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Tests.Events;

/// <summary>
/// A subscription hands out exactly the log's events, in order, whatever the interleaving of writes and reads and
/// however small its live buffer: overflow falls back to the log instead of dropping.
/// </summary>
public sealed class EventSubscriptionTests(CoreHost host) : IClassFixture<CoreHost>
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public async Task a_reader_gets_every_event_once_in_log_order_while_a_writer_races_it(int bufferSize)
    {
        var developer = (await host.DeveloperAsync()).Developer.Id;
        var other = (await host.DeveloperAsync()).Developer.Id;
        using var subscription = Ok(await Streams(bufferSize).OpenAsync(developer, [], null));
        const int count = 150;

        // Several writes per batch at times, and another developer's events between, as on a busy server.
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                var own = EmitAsync(developer, i);
                var foreign = EmitAsync(other, i);
                await Task.WhenAll(own, foreign);
            }
        });
        var received = await ReadAsync(subscription, count);
        await writer;

        var log = await host.Get<EventLog>().ReadAfterAsync(developer, 0, null, EventLog.MaxPage);
        Assert.Equal(log.Select(e => e.Id), received.Select(e => e.Id));
        Assert.Equal(log.Select(e => e.Body), received.Select(e => e.Body));
    }

    [Fact]
    public async Task a_reader_that_did_not_read_for_a_while_catches_up_from_the_log_then_continues_live()
    {
        var developer = (await host.DeveloperAsync()).Developer.Id;
        using var subscription = Ok(await Streams(bufferSize: 2).OpenAsync(developer, [EventTypes.TokenRevoked], null));

        for (var i = 0; i < 10; i++)
        {
            await EmitAsync(developer, i);
        }

        var first = await ReadAsync(subscription, 10);
        await EmitAsync(developer, 10);
        var live = await ReadAsync(subscription, 1);

        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"tok_{i}"), first.Concat(live).Select(TokenId));
    }

    [Fact]
    public async Task a_resumed_subscription_replays_after_the_given_event_across_pages_then_goes_live()
    {
        var developer = (await host.DeveloperAsync()).Developer.Id;
        var start = await EmitAsync(developer, -1);
        for (var i = 0; i < EventSubscription.PageSize + 5; i++)
        {
            await EmitAsync(developer, i);
        }

        using var subscription = Ok(await Streams(bufferSize: 1000).OpenAsync(developer, [], start.Id));
        var replayed = await ReadAsync(subscription, EventSubscription.PageSize + 5);
        await EmitAsync(developer, 999);
        var live = await ReadAsync(subscription, 1);

        Assert.Equal(Enumerable.Range(0, EventSubscription.PageSize + 5).Select(i => $"tok_{i}"), replayed.Select(TokenId));
        Assert.Equal("tok_999", TokenId(Assert.Single(live)));
    }

    [Fact]
    public async Task streams_beyond_the_cap_are_refused_and_a_closed_one_gives_its_slot_back()
    {
        var developer = (await host.DeveloperAsync()).Developer.Id;
        var streams = Streams(bufferSize: 10, max: 2);
        var a = Ok(await streams.OpenAsync(developer, [], null));
        using var b = Ok(await streams.OpenAsync(developer, [], null));

        var refused = await streams.OpenAsync(developer, [], null);
        a.Dispose();
        a.Dispose();
        using var c = Ok(await streams.OpenAsync(developer, [], null));

        Assert.Equal(ErrorCodes.TooManyConnections, refused.Error?.Code);
        Assert.Equal(2, streams.OpenCount(developer));
    }

    [Fact]
    public void unknown_types_are_refused_naming_the_valid_ones()
    {
        var result = EventStreams.ParseTypes("grant.created, grant.exploded");

        Assert.False(result.IsSuccess);
        Assert.Contains("'grant.exploded'", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", EventTypes.All), result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(["types"], result.Error.Fields);
        Assert.Equal([EventTypes.GrantCreated, EventTypes.TokenIssued], Ok(EventStreams.ParseTypes(" grant.created,,token.issued,grant.created")));
    }

    private EventStreams Streams(int bufferSize, int max = 5) => new(
        host.Get<EventBus>(), host.Get<EventLog>(), host.Time,
        Options.Create(new EventStreamOptions { LiveBufferSize = bufferSize, MaxStreamsPerDeveloper = max }));

    private Task<GrantexEvent> EmitAsync(string developerId, int n) => host.Get<WriteQueue>().ExecuteAsync(ctx =>
        Task.FromResult(ctx.Emit(new EventDraft(developerId, EventTypes.TokenRevoked, new TokenRevokedData($"tok_{n}", "grnt_x", "ag_x", "alice")))));

    private static async Task<List<GrantexEvent>> ReadAsync(EventSubscription subscription, int count)
    {
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        var received = new List<GrantexEvent>();
        while (received.Count < count)
        {
            // The idle timeout is on the host's fake clock, which these tests never move: a read only ends with events.
            received.AddRange(await subscription.ReadAsync(TimeSpan.FromSeconds(30), deadline.Token));
        }

        return received;
    }

    private static string TokenId(GrantexEvent e) => System.Text.Json.JsonDocument.Parse(e.Body).RootElement.GetProperty("data").GetProperty("tokenId").GetString()!;

    private static T Ok<T>(Result<T> result) => result.IsSuccess ? result.Value : throw new Xunit.Sdk.XunitException(result.Error.Message);
}

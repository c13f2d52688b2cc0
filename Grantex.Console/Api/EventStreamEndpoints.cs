using Grantex.Core.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>
/// The event stream (wire format §7.9): <c>GET /v1/events/stream?types=a,b</c> as server-sent events of the caller's
/// events only. Beyond the reference it resumes: a <c>Last-Event-ID</c> header (or <c>lastEventId</c> query parameter
/// for clients that cannot set headers) replays every event after that one from the durable log, then continues live.
/// Without it the stream starts now. At most <see cref="EventStreamOptions.MaxStreamsPerDeveloper"/> streams per
/// developer (429 <c>TOO_MANY_CONNECTIONS</c>).
/// </summary>
public static class EventStreamEndpoints
{
    public static IEndpointRouteBuilder MapEventStreamEndpoints(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/v1/events").WithTags("Events").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        events.MapGet("/stream", StreamEvents).WithName(nameof(StreamEvents))
            .Produces(StatusCodes.Status200OK, contentType: EventStreamResult.ContentType)
            .WithErrors(400, 401, 429);
        return app;
    }

    public static async Task<Results<EventStreamResult, ApiError>> StreamEvents(
        string? types, string? lastEventId, HttpContext context, EventStreams streams, CancellationToken cancellationToken)
    {
        var parsed = EventStreams.ParseTypes(types);
        if (!parsed.IsSuccess)
        {
            return ApiError.From(parsed.Error);
        }

        var header = context.Request.Headers["Last-Event-ID"].ToString();
        var resumeAfter = header.Length > 0 ? header : lastEventId;
        var opened = await streams.OpenAsync(context.Caller().Developer.Id, parsed.Value, resumeAfter, cancellationToken);
        if (!opened.IsSuccess)
        {
            return ApiError.From(opened.Error);
        }

        // Released by the result when the stream ends; this covers a request that fails before the result runs.
        context.Response.RegisterForDispose(opened.Value);
        return new EventStreamResult(opened.Value, streams.Options.Heartbeat);
    }
}

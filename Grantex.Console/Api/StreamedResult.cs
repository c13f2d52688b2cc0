using Microsoft.Net.Http.Headers;

namespace Grantex.Console.Api;

/// <summary>
/// A response body written while it is produced (exports, evidence packs, audit packs): nothing is buffered, so its
/// size never shows in the server's memory. Errors found before writing (bad filters) are answered before this runs.
/// </summary>
public sealed class StreamedResult(string contentType, string? downloadName, Func<Stream, CancellationToken, Task> write) : IResult
{
    public string ContentType { get; } = contentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        if (downloadName is not null)
        {
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = downloadName }.ToString();
        }

        httpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await write(response.Body, httpContext.RequestAborted);
    }
}

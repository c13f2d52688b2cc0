using Grantex.Core.Developers;

namespace Grantex.Console.Api;

public static class HttpContextExtensions
{
    /// <summary>The authenticated developer; endpoints behind the API-key policy always have one.</summary>
    public static ApiKeyCaller Caller(this HttpContext context) =>
        context.Items[typeof(ApiKeyCaller)] as ApiKeyCaller ?? throw new InvalidOperationException("The endpoint is not behind API-key authentication.");

    public static ApiKeyCaller? CallerOrNull(this HttpContext context) => context.Items[typeof(ApiKeyCaller)] as ApiKeyCaller;

    /// <summary>A per-request UUID, as the reference puts in every error body.</summary>
    public static string RequestId(this HttpContext context)
    {
        if (context.Items["gx.requestId"] is string id)
        {
            return id;
        }

        id = Guid.NewGuid().ToString();
        context.Items["gx.requestId"] = id;
        return id;
    }
}
